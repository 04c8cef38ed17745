import Testing
@testable import TesseraWire

@Suite struct FullIntraRequestTests {
    static let vector = hex("84CE0004 00000001 00000000 0000ABCD 05000000")

    @Test func parsesAndRoundTrips() throws {
        let packets = try RTCPCompoundPacket(parsing: Self.vector).packets
        #expect(packets == [.fullIntraRequest(FullIntraRequest(senderSSRC: 1, entries: [.init(ssrc: 0xABCD, sequenceNumber: 5)]))])
        #expect(serialized(packets[0]) == Self.vector)
        #expect(everyPrefixThrows(Self.vector))
    }

    @Test func multipleEntries() throws {
        let fir = RTCPPacket.fullIntraRequest(FullIntraRequest(senderSSRC: 1, entries: (0..<10).map { .init(ssrc: UInt32($0), sequenceNumber: UInt8($0)) }))
        #expect(try roundTrip(fir) == fir)
    }

    @Test func partialEntryIsMalformed() {
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: hex("84CE0003 00000001 00000000 0000ABCD")) }?.kind == .malformed)
    }
}
