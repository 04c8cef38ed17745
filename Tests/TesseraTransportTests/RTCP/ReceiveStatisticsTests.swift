import Testing
import TesseraWire
@testable import TesseraTransport

@Suite struct ReceiveStatisticsTests {
    /// 8 kHz clock: 1 ms = 8 timestamp units. Transit times 0, 0, 40, -16, 0 units give
    /// D = 0, 40, -56, 16 and J = 0, 2.5, 5.84375, 6.478515625 (J += (|D| - J) / 16).
    @Test func jitterMatchesHandCalculation() throws {
        var stats = ReceiveStatistics(ssrc: 7, clockRate: 8000)
        let packets: [(seq: UInt16, timestamp: UInt32, arrivalMs: Int64)] = [
            (1, 0, 0), (2, 160, 20), (3, 320, 45), (4, 480, 58), (5, 640, 80),
        ]
        for packet in packets {
            stats.packetReceived(sequenceNumber: packet.seq, timestamp: packet.timestamp, at: ms(packet.arrivalMs))
        }
        #expect(stats.jitter == 6.478515625)
        let blockBlock = stats.makeReportBlock(now: ms(100))
        let block = try #require(blockBlock)
        #expect(block.jitter == 6)
        #expect(block.ssrc == 7)
    }

    @Test func retransmissionsAndSameTimestampDoNotMoveJitter() {
        var stats = ReceiveStatistics(ssrc: 7, clockRate: 8000)
        stats.packetReceived(sequenceNumber: 1, timestamp: 0, at: ms(0))
        stats.packetReceived(sequenceNumber: 2, timestamp: 0, at: ms(30)) // same frame, paced
        stats.packetReceived(sequenceNumber: 3, timestamp: 160, at: ms(500), isRetransmission: true)
        #expect(stats.jitter == 0)
        #expect(stats.packetsReceived == 3)
    }

    @Test func lossCountersAfterKnownLosses() throws {
        var stats = ReceiveStatistics(ssrc: 1, clockRate: 90000)
        for seq: UInt16 in 1...10 where seq != 3 && seq != 7 {
            stats.packetReceived(sequenceNumber: seq, timestamp: UInt32(seq) * 3000, at: ms(Int64(seq) * 33))
        }
        let firstBlock = stats.makeReportBlock(now: ms(400))
        let first = try #require(firstBlock)
        #expect(first.cumulativeLost == 2)
        #expect(first.fractionLost == 51) // 2/10 × 256, truncated
        #expect(first.extendedHighestSequenceNumber == 10)

        for seq: UInt16 in 11...20 {
            stats.packetReceived(sequenceNumber: seq, timestamp: UInt32(seq) * 3000, at: ms(Int64(seq) * 33))
        }
        let secondBlock = stats.makeReportBlock(now: ms(800))
        let second = try #require(secondBlock)
        #expect(second.fractionLost == 0)
        #expect(second.cumulativeLost == 2)

        // 21...40 with 10 of 20 lost: fraction 128.
        for seq: UInt16 in stride(from: 21, through: 40, by: 2) {
            stats.packetReceived(sequenceNumber: seq + 1, timestamp: UInt32(seq) * 3000, at: ms(Int64(seq) * 33))
        }
        let thirdBlock = stats.makeReportBlock(now: ms(1400))
        let third = try #require(thirdBlock)
        #expect(third.fractionLost == 128)
        #expect(third.cumulativeLost == 12)

        // A duplicate makes received exceed expected in the interval: fraction 0, cumulative drops.
        stats.packetReceived(sequenceNumber: 40, timestamp: 40 * 3000, at: ms(1500))
        let fourthBlock = stats.makeReportBlock(now: ms(1600))
        let fourth = try #require(fourthBlock)
        #expect(fourth.fractionLost == 0)
        #expect(fourth.cumulativeLost == 11)
    }

    @Test func extendedHighestAcrossWrapAndReordering() {
        var stats = ReceiveStatistics(ssrc: 1, clockRate: 90000)
        for seq: UInt16 in [65533, 65534, 65535, 1, 0, 2] {
            stats.packetReceived(sequenceNumber: seq, timestamp: 0, at: .zero)
        }
        #expect(stats.extendedHighestSequenceNumber == 65536 + 2)
        #expect(stats.cumulativeLost == 0)
    }

    @Test func largeJumpIsAcceptedOnlyWhenContinued() {
        var stats = ReceiveStatistics(ssrc: 1, clockRate: 90000)
        stats.packetReceived(sequenceNumber: 10, timestamp: 0, at: .zero)
        let accepted = stats.packetReceived(sequenceNumber: 20000, timestamp: 0, at: .zero)
        #expect(!accepted)
        #expect(stats.extendedHighestSequenceNumber == 10)
        let continued = stats.packetReceived(sequenceNumber: 20001, timestamp: 0, at: .zero)
        #expect(continued)
        #expect(stats.extendedHighestSequenceNumber == 20001)
        #expect(stats.packetsReceived == 1)
        #expect(stats.cumulativeLost == 0)
    }

    @Test func lastSenderReportAndDelay() throws {
        var stats = ReceiveStatistics(ssrc: 5, clockRate: 90000)
        let none = stats.makeReportBlock(now: .zero)
        #expect(none == nil)
        stats.packetReceived(sequenceNumber: 1, timestamp: 0, at: ms(900))
        let sr = SenderReport(ssrc: 5, ntpTimestamp: 0x1234_5678_9ABC_DEF0, rtpTimestamp: 42, packetCount: 1, octetCount: 10)
        stats.senderReportReceived(sr, at: ms(1000))
        let blockBlock = stats.makeReportBlock(now: ms(1500))
        let block = try #require(blockBlock)
        #expect(block.lastSenderReport == 0x5678_9ABC)
        #expect(block.delaySinceLastSenderReport == 32768) // 0.5 s in 1/65536 s
        #expect(stats.lastSenderReport?.rtpTimestamp == 42)
    }
}
