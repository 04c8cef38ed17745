import Testing
@testable import TesseraWire

@Suite struct RTPHeaderExtensionTests {
    /// Wraps extension bytes in a minimal RTP packet and returns the parsed extension.
    func parseExtension(profile: UInt16, body: [UInt8]) throws -> RTPHeaderExtension {
        var bytes = hex("90000001 00000002 00000003")
        bytes += [UInt8(profile >> 8), UInt8(profile & 0xFF), 0, UInt8(body.count / 4)] + body
        return try #require(try RTPPacket(parsing: bytes).header.headerExtension)
    }

    @Test func oneByteWithPaddingBetweenElements() throws {
        // id 1 (1 byte), two padding bytes, id 2 (4 bytes), id 14 (16 bytes), trailing padding.
        let body = hex("10AA0000 23010203 04EF0001 02030405 06070809 0A0B0C0D 0E0F0000")
        let ext = try parseExtension(profile: 0xBEDE, body: body)
        let elements = try ext.elements()
        #expect(elements.map(\.id) == [1, 2, 14])
        #expect(elements.map { Array(ext.data[$0.range]) } == [[0xAA], [1, 2, 3, 4], Array(0...15)])
        #expect(try ext.element(id: 2).map(Array.init) == [1, 2, 3, 4])
        #expect(try ext.element(id: 9) == nil)
    }

    @Test func oneByteID15StopsParsing() throws {
        let ext = try parseExtension(profile: 0xBEDE, body: hex("10AAF520 00000000"))
        #expect(try ext.elements().map(\.id) == [1])
    }

    @Test func twoByteWithPaddingAndZeroLength() throws {
        let ext = try parseExtension(profile: 0x1000, body: hex("01000000 C8036162 63000000"))
        #expect(ext.form == .twoByte)
        let elements = try ext.elements()
        #expect(elements.map(\.id) == [1, 200])
        #expect(elements[0].range.isEmpty)
        #expect(Array(ext.data[elements[1].range]) == Array("abc".utf8))
    }

    @Test func twoByteAppBitsAccepted() throws {
        let ext = try parseExtension(profile: 0x100F, body: hex("0F016100"))
        #expect(ext.form == .twoByte)
        #expect(try ext.element(id: 15).map(Array.init) == [0x61])
    }

    @Test func elementOverrunThrows() throws {
        // one-byte: id 1 claims 16 bytes in a 4-byte block.
        let oneByte = try parseExtension(profile: 0xBEDE, body: hex("1F000000"))
        #expect(wireError { _ = try oneByte.elements() }?.kind == .truncated)
        // two-byte: length byte missing at the very end.
        let twoByte = try parseExtension(profile: 0x1000, body: hex("00000005"))
        #expect(wireError { _ = try twoByte.elements() }?.kind == .truncated)
        let twoByteLong = try parseExtension(profile: 0x1000, body: hex("05FF0000"))
        #expect(wireError { _ = try twoByteLong.element(id: 5) }?.kind == .truncated)
    }

    @Test func elementCountIsBounded() throws {
        let seventeen: [UInt8] = Array(repeating: [0x10, 0xAA], count: 17).joined() + [0, 0]
        let ext = try parseExtension(profile: 0xBEDE, body: seventeen)
        #expect(wireError { _ = try ext.elements() }?.kind == .tooLarge)
        let sixteen = Array(seventeen.dropFirst(2)) + [0, 0]
        #expect(try parseExtension(profile: 0xBEDE, body: sixteen).elements().count == 16)

        let twoByte = try parseExtension(profile: 0x1000, body: Array(Array(repeating: [UInt8(1), 0], count: 256).joined()))
        #expect(wireError { _ = try twoByte.elements() }?.kind == .tooLarge)
    }

    @Test func otherProfilesAreUnsupported() throws {
        let ext = try parseExtension(profile: 0xABCD, body: hex("01020304"))
        #expect(ext.form == nil)
        #expect(wireError { _ = try ext.elements() }?.kind == .unsupported)
        // Still round-trips as opaque bytes.
        let header = RTPHeader(payloadType: 0, sequenceNumber: 1, timestamp: 2, ssrc: 3, headerExtension: ext)
        var out: [UInt8] = []
        header.serialize(into: &out)
        #expect(out == hex("90000001 00000002 00000003 ABCD0001 01020304"))
    }

    @Test func buildsOneByteForm() throws {
        let ext = try RTPHeaderExtension(elements: [(id: 1, data: [0x9E]), (id: 3, data: [0x00, 0x2A])])
        #expect(ext.profile == 0xBEDE)
        #expect(Array(ext.data) == hex("109E3100 2A000000"))
        #expect(try ext.elements().map(\.id) == [1, 3])
    }

    @Test func buildsTwoByteFormWhenNeeded() throws {
        let long = try RTPHeaderExtension(elements: [(id: 1, data: Array(repeating: 7, count: 17))])
        #expect(long.form == .twoByte)
        #expect(long.data.count == 20)
        #expect(Array(long.data.prefix(3)) == [1, 17, 7])
        let highID = try RTPHeaderExtension(elements: [(id: 15, data: [1])])
        #expect(highID.form == .twoByte)
        let empty = try RTPHeaderExtension(elements: [(id: 2, data: [])])
        #expect(Array(empty.data) == [2, 0, 0, 0])
        #expect(try empty.element(id: 2)?.isEmpty == true)
    }

    @Test func buildValidation() {
        #expect(wireError { _ = try RTPHeaderExtension(elements: [(id: 0, data: [1])]) }?.kind == .malformed)
        #expect(wireError { _ = try RTPHeaderExtension(elements: [(id: 15, data: [1])], form: .oneByte) }?.kind == .malformed)
        #expect(wireError { _ = try RTPHeaderExtension(elements: [(id: 1, data: [])], form: .oneByte) }?.kind == .malformed)
        #expect(wireError { _ = try RTPHeaderExtension(elements: [(id: 1, data: Array(repeating: 0, count: 256))]) }?.kind == .malformed)
        let many = (0..<17).map { _ in (id: UInt8(1), data: [UInt8(0)]) }
        #expect(wireError { _ = try RTPHeaderExtension(elements: many, form: .oneByte) }?.kind == .tooLarge)
        #expect(wireError { _ = try RTPHeaderExtension(profile: 0xBEDE, data: [1, 2, 3]) }?.kind == .malformed)
        #expect(wireError { _ = try RTPHeaderExtension(profile: 0xBEDE, data: [1, 2, 3, 4]) } == nil)
    }

    @Test func roundTripThroughPacket() throws {
        let elements: [(id: UInt8, data: [UInt8])] = [(id: 3, data: [0, 1]), (id: 200, data: Array("hello".utf8))]
        let ext = try RTPHeaderExtension(elements: elements)
        let packet = RTPPacket(header: RTPHeader(payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, headerExtension: ext), payload: [1])
        var out: [UInt8] = []
        packet.serialize(into: &out)
        let parsed = try #require(try RTPPacket(parsing: out).header.headerExtension)
        #expect(parsed == ext)
        #expect(try parsed.element(id: 200).map(Array.init) == Array("hello".utf8))
    }

    @Test func randomExtensionBodiesNeverCrash() throws {
        var generator = SeededGenerator(seed: 0x8285)
        for round in 0..<3000 {
            let words = Int.random(in: 0...8, using: &generator)
            let body = generator.bytes(count: words * 4)
            let profile: UInt16 = round.isMultiple(of: 2) ? 0xBEDE : 0x1000
            let ext = try RTPHeaderExtension(profile: profile, data: body[...])
            if let elements = try? ext.elements() {
                for element in elements {
                    #expect(element.range.lowerBound >= ext.data.startIndex && element.range.upperBound <= ext.data.endIndex)
                }
            }
            _ = try? ext.element(id: 1)
        }
    }
}
