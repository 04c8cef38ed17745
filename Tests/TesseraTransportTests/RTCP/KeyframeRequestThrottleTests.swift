import Testing
import TesseraWire
@testable import TesseraTransport

@Suite struct KeyframeRequestThrottleTests {
    static let pli = PictureLossIndication(senderSSRC: 0xA, mediaSSRC: 0x77)

    static func fir(from sender: UInt32 = 0xA, sequenceNumber: UInt8, ssrc: UInt32 = 0x77) -> FullIntraRequest {
        FullIntraRequest(senderSSRC: sender, entries: [.init(ssrc: 0x1, sequenceNumber: 9), .init(ssrc: ssrc, sequenceNumber: sequenceNumber)])
    }

    @Test func threePLIsWithinIntervalGiveOneRequest() {
        var throttle = KeyframeRequestThrottle(mediaSSRC: 0x77)
        var results: [Bool] = []
        for time: Int64 in [0, 100, 400] { results.append(throttle.pictureLossIndication(Self.pli, now: ms(time))) }
        #expect(results == [true, false, false])
        let r1 = throttle.poll(now: ms(600))
        #expect(!r1) // no deferral by default
        let r2 = throttle.pictureLossIndication(Self.pli, now: ms(500))
        #expect(r2)
        let r3 = throttle.pictureLossIndication(PictureLossIndication(senderSSRC: 0xA, mediaSSRC: 0x78), now: ms(5000))
        #expect(!r3)
    }

    @Test func repeatedFIRSequenceNumberIsSameRequest() {
        var throttle = KeyframeRequestThrottle(mediaSSRC: 0x77)
        let r4 = throttle.fullIntraRequest(Self.fir(sequenceNumber: 4), now: ms(0))
        #expect(r4)
        let r5 = throttle.fullIntraRequest(Self.fir(sequenceNumber: 4), now: ms(1000))
        #expect(!r5) // repetition, even later
        let r6 = throttle.fullIntraRequest(Self.fir(sequenceNumber: 5), now: ms(1000))
        #expect(r6)
        let r7 = throttle.fullIntraRequest(Self.fir(sequenceNumber: 6), now: ms(1200))
        #expect(!r7) // new, but throttled
        // Another requester has its own numbering.
        let r8 = throttle.fullIntraRequest(Self.fir(from: 0xB, sequenceNumber: 6), now: ms(1600))
        #expect(r8)
        // Not for our SSRC.
        let r9 = throttle.fullIntraRequest(Self.fir(sequenceNumber: 7, ssrc: 0x99), now: ms(5000))
        #expect(!r9)
    }

    @Test func deferredRequestIsReleasedAtIntervalEnd() {
        var configuration = KeyframeRequestThrottle.Configuration()
        configuration.deferSuppressedRequests = true
        var throttle = KeyframeRequestThrottle(mediaSSRC: 0x77, configuration: configuration)
        let r10 = throttle.keyframeRequested(now: ms(0))
        #expect(r10)
        let r11 = throttle.keyframeRequested(now: ms(100))
        #expect(!r11)
        let r12 = throttle.keyframeRequested(now: ms(200))
        #expect(!r12)
        #expect(throttle.nextDeadline == ms(500))
        let r13 = throttle.poll(now: ms(499))
        #expect(!r13)
        let r14 = throttle.poll(now: ms(500))
        #expect(r14)
        let r15 = throttle.poll(now: ms(2000))
        #expect(!r15)
        #expect(throttle.nextDeadline == nil)
    }
}
