import Testing
@testable import TesseraWire

@Suite struct SourceDescriptionTests {
    @Test func multipleChunksAndItems() throws {
        let sdes = RTCPPacket.sourceDescription(SourceDescription(chunks: [
            SourceDescription.Chunk(ssrc: 1, items: [
                .init(type: .cname, text: "user@host"),
                .init(type: .tool, text: "Tessera"),
                .init(type: .priv, value: [3, 0x61, 0x62, 0x63, 0xFF]),
            ]),
            SourceDescription.Chunk(ssrc: 2, items: []),
            SourceDescription.Chunk(ssrc: 3, cname: "abc"),
        ]))
        #expect(try roundTrip(sdes) == sdes)
        let bytes = serialized(sdes)
        #expect(everyPrefixThrows(bytes))
        // An empty chunk is SSRC + 4 null octets.
        #expect(Array(bytes[36..<44]) == hex("00000002 00000000"))
    }

    @Test func chunkPaddingIsAlignedPerChunk() {
        // "abc" → SSRC(4) + type,len(2) + 3 = 9, null → 10, padded to 12.
        let bytes = serialized(.sourceDescription(SourceDescription(chunks: [.init(ssrc: 7, cname: "abc")])))
        #expect(bytes == hex("81CA0003 00000007 01036162 63000000"))
        // Exactly 3 text bytes short of a boundary: "abcdef" → 4 + 2 + 6 = 12, null → 13 → 16.
        let six = serialized(.sourceDescription(SourceDescription(chunks: [.init(ssrc: 7, cname: "abcdef")])))
        #expect(six == hex("81CA0004 00000007 01066162 63646566 00000000"))
    }

    @Test func unterminatedChunkThrows() {
        // Item list runs to the end without a null octet.
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: hex("81CA0002 00000007 01026162")) }?.kind == .truncated)
        // Item length overruns the packet.
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: hex("81CA0002 00000007 01FF6162")) }?.kind == .truncated)
    }

    @Test func sourceCountOverrunningPacketThrows() {
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: hex("9FCA0002 00000007 00000000")) }?.kind == .truncated)
    }

    @Test func itemCountIsBounded() {
        let items = (0..<17).map { _ in SourceDescription.Item(type: .note, value: [1]) }
        var bytes = hex("81CA0000 00000001")
        for item in items { bytes += [item.type.rawValue, 1] + item.value }
        bytes += [0, 0, 0, 0, 0]
        while bytes.count % 4 != 0 { bytes.append(0) }
        bytes[3] = UInt8(bytes.count / 4 - 1)
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: bytes) }?.kind == .tooLarge)
        // Serialization writes at most 16, which parses.
        let sdes = RTCPPacket.sourceDescription(SourceDescription(chunks: [.init(ssrc: 1, items: items)]))
        guard case .sourceDescription(let parsed) = try? roundTrip(sdes) else {
            Issue.record("did not parse")
            return
        }
        #expect(parsed.chunks[0].items.count == 16)
    }

    @Test func chromeCNAMEAccessor() {
        let chunk = SourceDescription.Chunk(ssrc: 1, items: [.init(type: .tool, text: "x"), .init(type: .cname, text: "y")])
        #expect(chunk.cname == "y")
        #expect(SourceDescription.Chunk(ssrc: 1, items: []).cname == nil)
    }
}
