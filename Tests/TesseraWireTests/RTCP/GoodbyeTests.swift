import Testing
@testable import TesseraWire

@Suite struct GoodbyeTests {
    static let vector = hex("81CB0003 00000005 05627965 21210000")

    @Test func parsesReason() throws {
        let packets = try RTCPCompoundPacket(parsing: Self.vector).packets
        #expect(packets == [.goodbye(Goodbye(ssrcs: [5], reasonText: "bye!!"))])
        guard case .goodbye(let bye) = packets[0] else { return }
        #expect(bye.reasonText == "bye!!")
        #expect(serialized(packets[0]) == Self.vector)
        #expect(everyPrefixThrows(Self.vector))
    }

    @Test func roundTrips() throws {
        for bye in [Goodbye(ssrcs: []), Goodbye(ssrcs: [1, 2, 3]), Goodbye(ssrcs: [1], reason: []), Goodbye(ssrcs: [9], reasonText: "abc")] {
            #expect(try roundTrip(.goodbye(bye)) == .goodbye(bye))
        }
    }

    @Test func overruns() {
        // SC = 3, room for one.
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: hex("83CB0001 00000005")) }?.kind == .truncated)
        // Reason length beyond the packet.
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: hex("81CB0002 00000005 09616263")) }?.kind == .truncated)
    }
}
