import Testing
@testable import TesseraWire

@Suite struct RTPPacketTests {
    /// Opus-like packet: X=1, PT 111, one-byte extension with audio level (id 1), a padding
    /// byte, transport-wide seq (id 3), trailing padding; 7-byte payload.
    static let opus = hex("""
        906F1234 00003039 11223344
        BEDE0002 109E0031 002A0000
        DEADBEEF C0FFEE
        """)

    @Test func parsesFixedHeaderAndExtension() throws {
        let packet = try RTPPacket(parsing: Self.opus)
        #expect(packet.header.marker == false)
        #expect(packet.header.payloadType == 111)
        #expect(packet.header.sequenceNumber == 0x1234)
        #expect(packet.header.timestamp == 12345)
        #expect(packet.header.ssrc == 0x1122_3344)
        #expect(packet.header.csrcs.isEmpty)
        #expect(packet.paddingLength == 0)
        #expect(packet.payloadRange == 24..<31)
        #expect(Array(packet.payload) == [0xDE, 0xAD, 0xBE, 0xEF, 0xC0, 0xFF, 0xEE])
        let headerExtension = try #require(packet.header.headerExtension)
        #expect(headerExtension.form == .oneByte)
        #expect(headerExtension.dataRange == 16..<24)
        let elements = try headerExtension.elements()
        #expect(elements == [HeaderExtensionElement(id: 1, range: 17..<18), HeaderExtensionElement(id: 3, range: 20..<22)])
    }

    @Test func roundTripsByteForByte() throws {
        let packet = try RTPPacket(parsing: Self.opus)
        var out: [UInt8] = [0xAA]
        packet.serialize(into: &out)
        #expect(Array(out.dropFirst()) == Self.opus)
        #expect(packet.serializedLength == Self.opus.count)
    }

    @Test func csrcListAndMarker() throws {
        let bytes = hex("82E00001 00000002 00000003 0000000A 0000000B 0102")
        let packet = try RTPPacket(parsing: bytes)
        #expect(packet.header.marker)
        #expect(packet.header.payloadType == 96)
        #expect(packet.header.csrcs == [10, 11])
        #expect(Array(packet.payload) == [1, 2])
        var out: [UInt8] = []
        packet.serialize(into: &out)
        #expect(out == bytes)
    }

    @Test func buildsFromHeaderAndPayload() throws {
        let ext = try RTPHeaderExtension(elements: [(id: 5, data: [1, 2, 3])])
        let header = RTPHeader(marker: true, payloadType: 100, sequenceNumber: 7, timestamp: 9, ssrc: 11, csrcs: [1], headerExtension: ext)
        let packet = RTPPacket(header: header, payload: [9, 8, 7], paddingLength: 4)
        var out: [UInt8] = []
        packet.serialize(into: &out)
        #expect(out.count == packet.serializedLength)
        #expect(out == hex("B1E40007 00000009 0000000B 00000001 BEDE0001 52010203 090807 000000 04"))
        let parsed = try RTPPacket(parsing: out)
        #expect(parsed == packet)
        #expect(parsed.paddingLength == 4)
    }

    @Test func rejectsWrongVersion() {
        var bytes = Self.opus
        bytes[0] = 0x50
        #expect(wireError { _ = try RTPPacket(parsing: bytes) }?.kind == .malformed)
        bytes[0] = 0xD0
        #expect(wireError { _ = try RTPPacket(parsing: bytes) }?.kind == .malformed)
    }

    @Test func rejectsOverrunningCSRCAndExtension() {
        // CC = 15 but only one CSRC present.
        #expect(wireError { _ = try RTPPacket(parsing: hex("8F000001 00000002 00000003 00000004")) }?.kind == .truncated)
        // Extension claims 0xFFFF words.
        #expect(wireError { _ = try RTPPacket(parsing: hex("90000001 00000002 00000003 BEDEFFFF 10000000")) }?.kind == .truncated)
    }

    @Test func paddingIsStripped() throws {
        let bytes = hex("A0000001 00000002 00000003 AABBCC 000003")
        let packet = try RTPPacket(parsing: bytes)
        #expect(Array(packet.payload) == [0xAA, 0xBB, 0xCC])
        #expect(packet.paddingLength == 3)
        var out: [UInt8] = []
        packet.serialize(into: &out)
        #expect(out == bytes)
    }

    @Test func paddingMayConsumeWholePayload() throws {
        let packet = try RTPPacket(parsing: hex("A0000001 00000002 00000003 00000004"))
        #expect(packet.payload.isEmpty)
        #expect(packet.payloadRange == 12..<12)
        #expect(packet.paddingLength == 4)
    }

    @Test func paddingEdgeCases() {
        // Pad count zero.
        #expect(wireError { _ = try RTPPacket(parsing: hex("A0000001 00000002 00000003 AABB00")) }?.kind == .malformed)
        // Pad count one more than the bytes after the header.
        #expect(wireError { _ = try RTPPacket(parsing: hex("A0000001 00000002 00000003 AABB04")) }?.kind == .malformed)
        // Pad count reaching into the header.
        #expect(wireError { _ = try RTPPacket(parsing: hex("A0000001 00000002 00000003 FF")) }?.kind == .malformed)
        // P bit set but nothing after the header.
        #expect(wireError { _ = try RTPPacket(parsing: hex("A0000001 00000002 00000003")) }?.kind == .truncated)
        // Padding must not eat into the extension.
        #expect(wireError { _ = try RTPPacket(parsing: hex("B0000001 00000002 00000003 BEDE0001 10AA0000 01")) } == nil)
        #expect(wireError { _ = try RTPPacket(parsing: hex("B0000001 00000002 00000003 BEDE0001 10AA0000 02 03")) }?.kind == .malformed)
    }

    @Test func everyPrefixShorterThanTheHeaderThrows() throws {
        let headerLength = 24
        for length in 0..<Self.opus.count {
            let prefix = Array(Self.opus.prefix(length))
            let error = wireError { _ = try RTPPacket(parsing: prefix) }
            if length < headerLength {
                #expect(error?.kind == .truncated, "prefix \(length)")
            } else {
                // A shorter payload is still a valid packet.
                #expect(error == nil)
                #expect(try RTPPacket(parsing: prefix).payloadRange == headerLength..<length)
            }
        }
    }

    @Test func prefixesOfPaddedPacketNeverCrash() {
        let bytes = hex("B2000001 00000002 00000003 00000004 00000005 BEDE0001 10AA0000 01020304 0000000004")
        for length in 0...bytes.count {
            let prefix = Array(bytes.prefix(length))
            if let packet = try? RTPPacket(parsing: prefix) {
                #expect(packet.payloadRange.upperBound + Int(packet.paddingLength) == length)
            }
        }
    }

    @Test func demultiplexing() {
        let rtcpSR = hex("80C80006 00000001 00000000 00000000 00000000 00000000 00000000")
        #expect(RTPPacket.looksLikeRTP(Self.opus))
        #expect(!RTCPPacket.looksLikeRTCP(Self.opus))
        #expect(!RTPPacket.looksLikeRTP(rtcpSR))
        #expect(RTCPPacket.looksLikeRTCP(rtcpSR))
        // Marker bit + PT 96 = 0xE0: RTP.
        #expect(RTPPacket.looksLikeRTP(hex("80E00001 00000002 00000003")))
        // PT 72 without marker (0x48): neither (64...95 is reserved when muxing).
        #expect(!RTPPacket.looksLikeRTP(hex("80480001 00000002 00000003")))
        #expect(!RTCPPacket.looksLikeRTCP(hex("80480001 00000002 00000003")))
        // STUN (first byte 0x00/0x01) and DTLS (20...63) are neither.
        #expect(!RTPPacket.looksLikeRTP(hex("00010000 2112A442 00000000 00000000")))
        #expect(!RTCPPacket.looksLikeRTCP(hex("16FEFD00 00000000 00000000")))
        #expect(!RTPPacket.looksLikeRTP([0x80, 0x60]))
        #expect(!RTCPPacket.looksLikeRTCP([0x80, 0xC8, 0x00, 0x01]))
    }

    @Test func headerOnlyParseAndSerializedLength() throws {
        let header = try RTPHeader(parsing: Self.opus)
        #expect(header.serializedLength == 24)
        var out: [UInt8] = []
        header.serialize(into: &out)
        #expect(out == Array(Self.opus.prefix(24)))
    }

    @Test func serializeMasksOutOfRangeFields() throws {
        let header = RTPHeader(payloadType: 0xFF, sequenceNumber: 1, timestamp: 2, ssrc: 3, csrcs: Array(0..<20))
        var out: [UInt8] = []
        header.serialize(into: &out)
        #expect(out.count == 12 + 15 * 4)
        let parsed = try RTPHeader(parsing: out)
        #expect(parsed.payloadType == 0x7F)
        #expect(parsed.csrcs == Array(0..<15))
    }
}
