import Testing
@testable import TesseraWire

@Suite struct ReceiverReportTests {
    static let vector = hex("81C90007 00000001 00000002 05FFFFFE 00010064 00000010 AABBCCDD 00008000")

    @Test func parsesVector() throws {
        let packets = try RTCPCompoundPacket(parsing: Self.vector).packets
        #expect(packets == [.receiverReport(ReceiverReport(ssrc: 1, reportBlocks: [ReportBlock(
            ssrc: 2, fractionLost: 5, cumulativeLost: -2, extendedHighestSequenceNumber: 0x10064,
            jitter: 16, lastSenderReport: 0xAABB_CCDD, delaySinceLastSenderReport: 0x8000)]))])
        #expect(serialized(packets[0]) == Self.vector)
        #expect(everyPrefixThrows(Self.vector))
    }

    @Test func emptyRoundTrip() throws {
        let rr = RTCPPacket.receiverReport(ReceiverReport(ssrc: 0xFFFF_FFFF))
        #expect(serialized(rr) == hex("80C90001 FFFFFFFF"))
        #expect(try roundTrip(rr) == rr)
    }
}
