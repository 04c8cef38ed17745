import Testing
import TesseraWire
@testable import TesseraTransport

@Suite struct BandwidthEstimateTests {
    @Test func rembGivesEstimateDirectly() throws {
        var bytes: [UInt8] = []
        RTCPPacket.remb(REMB(senderSSRC: 1, bitrate: 1_500_000, ssrcs: [0x77])).serialize(into: &bytes)
        guard case .remb(let remb) = try parseRTCP(bytes).first else {
            Issue.record("not parsed as REMB")
            return
        }
        var estimate = BandwidthEstimate()
        #expect(estimate.estimatedBitrate == nil)
        estimate.receivedREMB(remb, now: ms(10))
        #expect(estimate.estimatedBitrate == 1_500_000)
        #expect(estimate.rembBitrate == 1_500_000)
        #expect(estimate.source == .remb)
        #expect(estimate.updatedAt == ms(10))
        #expect(estimate.lossFraction == 0)
    }

    @Test func recorderAssignsAndRemembers() {
        var recorder = TransportSequenceRecorder(capacity: 4, initialSequenceNumber: 65535)
        let value1 = recorder.assign(size: 100, at: ms(1))
        #expect(value1 == 65535)
        let value2 = recorder.assign(size: 200, at: ms(2))
        #expect(value2 == 0)
        #expect(recorder.sentPacket(0) == .init(sequenceNumber: 0, sentAt: ms(2), size: 200))
        #expect(recorder.sentPacket(1) == nil) // not sent yet
        let value3 = recorder.acknowledge(65535)
        #expect(value3?.size == 100)
        let value4 = recorder.acknowledge(65535)
        #expect(value4 == nil) // only once
        for index in 0..<4 { _ = recorder.assign(size: 1, at: ms(Int64(3 + index))) }
        #expect(recorder.sentPacket(0) == nil) // overwritten by the ring
        #expect(recorder.nextSequenceNumber == 5)
    }

    /// Sender → TWCC generator → wire → BandwidthEstimate: 20 packets of 1000 bytes, 5 ms
    /// apart, across the sequence wrap, two of them lost.
    @Test func transportFeedbackRoundTrip() throws {
        var recorder = TransportSequenceRecorder(initialSequenceNumber: 65530)
        var generator = TWCCFeedbackGenerator(senderSSRC: 0xFEED, mediaSSRC: 0x77)
        let lostIndices: Set<Int> = [3, 7]
        var sent: [UInt16] = []
        for index in 0..<20 {
            let sendTime = ms(1000 + Int64(index) * 5)
            let seq = recorder.assign(size: 1000, at: sendTime)
            sent.append(seq)
            if !lostIndices.contains(index) {
                generator.packetReceived(transportSequenceNumber: seq, at: sendTime + .milliseconds(30))
            }
        }
        #expect(generator.isFeedbackDue(now: ms(1100)))
        let feedback = generator.poll(now: ms(1100))
        #expect(feedback.count == 1)
        let value5 = generator.poll(now: ms(1150))
        #expect(value5.isEmpty)

        // Over the wire.
        var bytes: [UInt8] = []
        RTCPCompoundPacket.serialize(feedback.map(RTCPPacket.transportWideFeedback), into: &bytes)
        guard case .transportWideFeedback(let parsed) = try parseRTCP(bytes).first else {
            Issue.record("not parsed as transport-cc")
            return
        }
        #expect(parsed.baseSequenceNumber == 65530)
        #expect(parsed.packets.count == 20)
        #expect(parsed.feedbackPacketCount == 0)

        var estimate = BandwidthEstimate()
        let summary = estimate.receivedTransportFeedback(parsed, recorder: &recorder, now: ms(1110))
        let expectedLost = lostIndices.sorted().map { sent[$0] }
        #expect(summary.lost == expectedLost)
        #expect(summary.acknowledged == sent.enumerated().filter { !lostIndices.contains($0.offset) }.map(\.element))
        #expect(summary.acknowledgedBytes == 18_000)
        #expect(summary.unknownCount == 0)
        #expect(estimate.lossFraction == 0.1)
        // 17 000 bytes after the first arrival, over 95 ms of arrivals; 10% loss keeps × 1.
        #expect(estimate.deliveryRate == 1_431_578)
        #expect(estimate.estimatedBitrate == 1_431_578)
        #expect(estimate.source == .transportFeedback)

        // The same report again acknowledges nothing new.
        let again = estimate.receivedTransportFeedback(parsed, recorder: &recorder, now: ms(1120))
        #expect(again.acknowledged.isEmpty)
        #expect(again.unknownCount == 18)
    }

    @Test func feedbackCountAndContinuation() throws {
        var generator = TWCCFeedbackGenerator(senderSSRC: 1, mediaSSRC: 2)
        generator.packetReceived(transportSequenceNumber: 10, at: ms(0))
        generator.packetReceived(transportSequenceNumber: 11, at: ms(1))
        let first = generator.poll(now: ms(0))
        #expect(first.map(\.baseSequenceNumber) == [10])
        generator.packetReceived(transportSequenceNumber: 9, at: ms(5)) // already reported: ignored
        generator.packetReceived(transportSequenceNumber: 14, at: ms(50))
        let value6 = generator.poll(now: ms(50))
        #expect(value6.isEmpty) // interval not over
        let second = generator.poll(now: ms(100))
        #expect(second.count == 1)
        #expect(second[0].feedbackPacketCount == 1)
        #expect(second[0].baseSequenceNumber == 12)
        #expect(second[0].packets.map(\.isReceived) == [false, false, true])
        // First delta is relative to the reference time (64 ms units): 50 ms - 0 = 50 ms.
        #expect(second[0].referenceTime == 0)
        #expect(second[0].packets[2].deltaMicroseconds == 50_000)
    }

    @Test func largeArrivalGapSplitsFeedback() {
        var generator = TWCCFeedbackGenerator(senderSSRC: 1, mediaSSRC: 2)
        generator.packetReceived(transportSequenceNumber: 1, at: ms(0))
        generator.packetReceived(transportSequenceNumber: 2, at: ms(10_000)) // delta > 8.19 s
        let feedback = generator.makeFeedback()
        #expect(feedback.map(\.baseSequenceNumber) == [1, 2])
        #expect(feedback.map(\.feedbackPacketCount) == [0, 1])
        #expect(feedback[1].referenceTime == Int32(10_000 / 64))
    }

    @Test func longRunsSplitIntoSeveralFeedbackPackets() {
        var recorder = TransportSequenceRecorder(initialSequenceNumber: 0)
        var generator = TWCCFeedbackGenerator(senderSSRC: 1, mediaSSRC: 2)
        for index in 0..<600 {
            let seq = recorder.assign(size: 500, at: MediaTime(microseconds: Int64(index) * 500))
            generator.packetReceived(transportSequenceNumber: seq, at: MediaTime(microseconds: Int64(index) * 500 + 20_000))
        }
        let feedback = generator.makeFeedback()
        #expect(feedback.map(\.baseSequenceNumber) == [0, 256, 512])
        #expect(feedback.map(\.packets.count) == [256, 256, 88])
        var estimate = BandwidthEstimate()
        var acknowledged = 0
        for packet in feedback {
            acknowledged += estimate.receivedTransportFeedback(packet, recorder: &recorder, now: ms(400)).acknowledged.count
        }
        #expect(acknowledged == 600)
        #expect(estimate.lossFraction == 0)
        // 599 × 500 bytes over 299.5 ms = 8 Mbit/s, × 1.08 without loss.
        #expect(estimate.deliveryRate == 8_000_000)
        #expect(estimate.estimatedBitrate == 8_640_000)
    }

    @Test func readsExtensionFromHeader() throws {
        let map = try HeaderExtensionMap([(id: 3, uri: HeaderExtensionURI.transportWideCC)])
        let element = try #require(map.element(TransportSequenceNumberExtension(sequenceNumber: 77)))
        let header = RTPHeader(
            payloadType: 96, sequenceNumber: 1, timestamp: 0, ssrc: 2,
            headerExtension: try RTPHeaderExtension(elements: [element]))
        var generator = TWCCFeedbackGenerator(senderSSRC: 1, mediaSSRC: 2)
        let value7 = generator.packetReceived(header, extensionMap: map, at: ms(3))
        #expect(value7)
        let value8 = generator.packetReceived(RTPHeader(payloadType: 96, sequenceNumber: 2, timestamp: 0, ssrc: 2), extensionMap: map, at: ms(4))
        #expect(!value8)
        let value9 = generator.makeFeedback()
        #expect(value9.first?.baseSequenceNumber == 77)
    }
}
