import Testing
@testable import TesseraWire

@Suite struct SenderReportTests {
    static let withBlock = hex("""
        81C8000C 00000001 00000002 00000003 00000004 00000005 00000006
        0000000A 19FFFFFE 0001FFFF 00000020 11223344 00010000
        """)

    @Test func parsesReportBlock() throws {
        let packets = try RTCPCompoundPacket(parsing: Self.withBlock).packets
        guard case .senderReport(let sr) = packets.first else {
            Issue.record("not an SR")
            return
        }
        #expect(sr.ntpTimestamp == 0x0000_0002_0000_0003)
        #expect(sr.reportBlocks == [ReportBlock(
            ssrc: 10, fractionLost: 0x19, cumulativeLost: -2, extendedHighestSequenceNumber: 0x1FFFF,
            jitter: 32, lastSenderReport: 0x1122_3344, delaySinceLastSenderReport: 0x10000)])
        #expect(serialized(.senderReport(sr)) == Self.withBlock)
        #expect(everyPrefixThrows(Self.withBlock))
    }

    @Test func roundTripsManyBlocks() throws {
        let blocks = (0..<31).map { ReportBlock(ssrc: UInt32($0), fractionLost: UInt8($0), cumulativeLost: Int32($0) - 15, jitter: UInt32($0) * 7) }
        let sr = RTCPPacket.senderReport(SenderReport(ssrc: 1, ntpTimestamp: .max, rtpTimestamp: 2, packetCount: 3, octetCount: 4, reportBlocks: blocks))
        #expect(try roundTrip(sr) == sr)
    }

    @Test func extraBlocksAreNotWritten() throws {
        let blocks = (0..<40).map { ReportBlock(ssrc: UInt32($0)) }
        let sr = SenderReport(ssrc: 1, ntpTimestamp: 0, rtpTimestamp: 0, packetCount: 0, octetCount: 0, reportBlocks: blocks)
        guard case .senderReport(let parsed) = try roundTrip(.senderReport(sr)) else {
            Issue.record("not an SR")
            return
        }
        #expect(parsed.reportBlocks == Array(blocks.prefix(31)))
    }

    @Test func cumulativeLostIsClampedToTwentyFourBits() throws {
        let rr = ReceiverReport(ssrc: 1, reportBlocks: [ReportBlock(ssrc: 2, cumulativeLost: 10_000_000), ReportBlock(ssrc: 3, cumulativeLost: -10_000_000)])
        guard case .receiverReport(let parsed) = try roundTrip(.receiverReport(rr)) else {
            Issue.record("not an RR")
            return
        }
        #expect(parsed.reportBlocks.map(\.cumulativeLost) == [0x7F_FFFF, -0x80_0000])
    }

    @Test func reportCountOverrunningPacketThrows() {
        // RC = 2 but room for one block.
        var bytes = Self.withBlock
        bytes[0] = 0x82
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: bytes) }?.kind == .truncated)
    }

    @Test func profileExtensionsAreSkipped() throws {
        let bytes = hex("80C90002 00000001 CAFEBABE")
        #expect(try RTCPCompoundPacket(parsing: bytes).packets == [.receiverReport(ReceiverReport(ssrc: 1))])
    }
}
