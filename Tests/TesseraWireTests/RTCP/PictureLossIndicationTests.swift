import Testing
@testable import TesseraWire

@Suite struct PictureLossIndicationTests {
    static let vector = hex("81CE0002 00000001 00000002")

    @Test func parsesAndRoundTrips() throws {
        let packets = try RTCPCompoundPacket(parsing: Self.vector).packets
        #expect(packets == [.pictureLossIndication(PictureLossIndication(senderSSRC: 1, mediaSSRC: 2))])
        #expect(serialized(packets[0]) == Self.vector)
        #expect(everyPrefixThrows(Self.vector))
    }

    @Test func tooShortThrows() {
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: hex("81CE0001 00000001")) }?.kind == .truncated)
    }
}
