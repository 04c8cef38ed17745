import Testing
import TesseraWire
@testable import TesseraTransport

@Suite struct RTCPReportSchedulerTests {
    static func scheduler(reducedSize: Bool = false, seed: UInt64 = 42, now: MediaTime = .zero) -> RTCPReportScheduler {
        var configuration = RTCPReportScheduler.Configuration(localSSRC: 0x5151, cname: "tessera")
        configuration.reducedSize = reducedSize
        configuration.seed = seed
        return RTCPReportScheduler(configuration: configuration, now: now)
    }

    @Test(arguments: [1, 2, 3, 42] as [UInt64])
    func regularIntervalsAreRandomizedAroundOneSecond(seed: UInt64) {
        var scheduler = Self.scheduler(seed: seed)
        let first = scheduler.nextReportAt
        #expect(first >= ms(250) && first <= ms(750)) // initial half interval
        #expect(!scheduler.isReportDue(now: first - .microseconds(1)))
        #expect(scheduler.isReportDue(now: first))

        var now = first
        var total: Duration = .zero
        let reports = 200
        var distinct = Set<Int64>()
        for _ in 0..<reports {
            _ = scheduler.makeReport(now: now, senderReports: [], reportBlocks: [])
            let interval = scheduler.nextReportAt - now
            #expect(interval >= .milliseconds(500) && interval <= .milliseconds(1500))
            distinct.insert(interval.microseconds)
            total += interval
            now = scheduler.nextReportAt
        }
        let mean = total / reports
        #expect(mean > .milliseconds(900) && mean < .milliseconds(1100))
        #expect(distinct.count > 100) // really randomized
    }

    @Test func sameSeedSameSchedule() {
        var a = Self.scheduler(seed: 7)
        var b = Self.scheduler(seed: 7)
        #expect(a.nextReportAt == b.nextReportAt)
        _ = a.makeReport(now: ms(500), senderReports: [], reportBlocks: [])
        _ = b.makeReport(now: ms(500), senderReports: [], reportBlocks: [])
        #expect(a.nextReportAt == b.nextReportAt)
    }

    @Test func earlyFeedbackFollowsAllowEarly() {
        var scheduler = Self.scheduler()
        let t = scheduler.feedbackInterval
        #expect(t > .milliseconds(15) && t < .milliseconds(30)) // 2 × 100 B × 8 / 75 kbit/s ≈ 21 ms
        let value1 = scheduler.feedbackTiming(now: ms(0))
        #expect(value1 == .now)
        _ = scheduler.makeFeedback(now: ms(0), feedback: [.pictureLossIndication(.init(senderSSRC: 1, mediaSSRC: 2))])
        // allow_early is used up until tn = tp + 2T (T randomized 0.5...1.5).
        guard case .at(let next) = scheduler.feedbackTiming(now: ms(1)) else {
            Issue.record("second early packet must wait")
            return
        }
        #expect(next >= .zero + t && next <= .zero + t * 3)
        let value2 = scheduler.feedbackTiming(now: next - .microseconds(1))
        #expect(value2 == .at(next))
        #expect(scheduler.nextWakeup == next)
        let value3 = scheduler.feedbackTiming(now: next)
        #expect(value3 == .now)

        // A regular report opens a new slot.
        _ = scheduler.makeFeedback(now: next, feedback: [])
        let value4 = scheduler.feedbackTiming(now: next)
        #expect(value4 != .now)
        _ = scheduler.makeReport(now: next, senderReports: [], reportBlocks: [])
        let value5 = scheduler.feedbackTiming(now: next)
        #expect(value5 == .now)
    }

    @Test func regularReportIsSRThenSDES() throws {
        var scheduler = Self.scheduler()
        let block = ReportBlock(ssrc: 0x9999, fractionLost: 12)
        let sr = SenderReport(ssrc: 0x1234, ntpTimestamp: 1 << 32, rtpTimestamp: 9, packetCount: 1, octetCount: 2)
        let audio = SenderReport(ssrc: 0x5678, ntpTimestamp: 1 << 32, rtpTimestamp: 4, packetCount: 3, octetCount: 4)
        let nack = RTCPPacket.genericNACK(GenericNACK(senderSSRC: 0x1234, mediaSSRC: 0x9999, sequenceNumbers: [5]))
        let bytes = scheduler.makeReport(now: ms(600), senderReports: [sr, audio], reportBlocks: [block], feedback: [nack])
        var first = sr
        first.reportBlocks = [block]
        #expect(try parseRTCP(bytes) == [
            .senderReport(first),
            .senderReport(audio),
            .sourceDescription(SourceDescription(chunks: [.init(ssrc: 0x1234, cname: "tessera")])),
            .sourceDescription(SourceDescription(chunks: [.init(ssrc: 0x5678, cname: "tessera")])),
            nack,
        ])
    }

    @Test func receiverOnlyReportIsRRAndSplitsBlocks() throws {
        var scheduler = Self.scheduler()
        let blocks = (0..<40).map { ReportBlock(ssrc: UInt32($0)) }
        let packets = try parseRTCP(scheduler.makeReport(now: ms(600), senderReports: [], reportBlocks: blocks))
        #expect(packets == [
            .receiverReport(ReceiverReport(ssrc: 0x5151, reportBlocks: Array(blocks[0..<31]))),
            .receiverReport(ReceiverReport(ssrc: 0x5151, reportBlocks: Array(blocks[31...]))),
            .sourceDescription(SourceDescription(chunks: [.init(ssrc: 0x5151, cname: "tessera")])),
        ])
    }

    @Test func feedbackPacketIsReducedSizeOnlyWhenNegotiated() throws {
        let pli = RTCPPacket.pictureLossIndication(PictureLossIndication(senderSSRC: 0x5151, mediaSSRC: 0x77))
        var compound = Self.scheduler(reducedSize: false)
        let value6 = compound.makeFeedback(now: .zero, feedback: [pli])
        #expect(try parseRTCP(value6) == [
            .receiverReport(ReceiverReport(ssrc: 0x5151)),
            .sourceDescription(SourceDescription(chunks: [.init(ssrc: 0x5151, cname: "tessera")])),
            pli,
        ])
        var reduced = Self.scheduler(reducedSize: true)
        let bytes = reduced.makeFeedback(now: .zero, feedback: [pli])
        #expect(bytes.count == 12)
        #expect(try parseRTCP(bytes) == [pli])
        #expect(reduced.averagePacketSize < compound.averagePacketSize)
    }
}
