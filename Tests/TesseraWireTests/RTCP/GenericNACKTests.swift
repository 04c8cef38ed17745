import Testing
@testable import TesseraWire

@Suite struct GenericNACKTests {
    /// PID 1000, BLP 0x8005: 1000, 1001, 1003, 1016 lost.
    static let vector = hex("81CD0003 00000001 12345678 03E88005")

    @Test func parsesAndExpandsBLP() throws {
        let packets = try RTCPCompoundPacket(parsing: Self.vector).packets
        guard case .genericNACK(let nack) = packets.first else {
            Issue.record("not a NACK")
            return
        }
        #expect(nack.senderSSRC == 1)
        #expect(nack.mediaSSRC == 0x1234_5678)
        #expect(nack.items == [GenericNACK.Item(packetID: 1000, lostPacketBitmask: 0x8005)])
        #expect(nack.sequenceNumbers == [1000, 1001, 1003, 1016])
        #expect(everyPrefixThrows(Self.vector))
    }

    @Test func packsSequenceNumbers() {
        let nack = GenericNACK(senderSSRC: 1, mediaSSRC: 0x1234_5678, sequenceNumbers: [1000, 1001, 1003, 1016])
        #expect(serialized(.genericNACK(nack)) == Self.vector)
        let spread = GenericNACK(senderSSRC: 1, mediaSSRC: 2, sequenceNumbers: [10, 27, 28, 100, 100])
        #expect(spread.items == [.init(packetID: 10), .init(packetID: 27, lostPacketBitmask: 1), .init(packetID: 100)])
        #expect(spread.sequenceNumbers == [10, 27, 28, 100])
    }

    @Test func packingWrapsAround() {
        let nack = GenericNACK(senderSSRC: 1, mediaSSRC: 2, sequenceNumbers: [65535, 0, 5])
        #expect(nack.items == [.init(packetID: 65535, lostPacketBitmask: 0x0021)])
        #expect(nack.sequenceNumbers == [65535, 0, 5])
    }

    @Test func roundTrips() throws {
        let nack = RTCPPacket.genericNACK(GenericNACK(senderSSRC: 3, mediaSSRC: 4, sequenceNumbers: Array(0..<300).map { UInt16($0 * 3) }))
        #expect(try roundTrip(nack) == nack)
    }

    @Test func itemCountIsBounded() {
        var bytes = hex("81CD0000 00000001 00000002")
        bytes += [UInt8](repeating: 0, count: 4 * (GenericNACK.maxItems + 1))
        let words = bytes.count / 4 - 1
        bytes[2] = UInt8(words >> 8)
        bytes[3] = UInt8(words & 0xFF)
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: bytes) }?.kind == .tooLarge)
    }
}
