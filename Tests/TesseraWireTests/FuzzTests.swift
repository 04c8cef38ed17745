import Testing
@testable import TesseraWire

/// Hostile-input tests: random and mutated datagrams must never crash, and whatever parses
/// must re-serialize to something that parses to the same value.
@Suite struct FuzzTests {
    static let rtcpCorpus: [[UInt8]] = [
        RTCPCompoundPacketTests.chromeSRSDES,
        SenderReportTests.withBlock,
        ReceiverReportTests.vector,
        GoodbyeTests.vector,
        GenericNACKTests.vector,
        PictureLossIndicationTests.vector,
        FullIntraRequestTests.vector,
        REMBTests.oneMegabit,
        REMBTests.libwebrtc,
        TransportWideFeedbackTests.runAndTwoBit,
        TransportWideFeedbackTests.oneBitWrapping,
        hex("80CC0002 00000001 4E414D45 81CA0003 00000007 01036162 63000000 A1CE0003 00000001 00000002 00000004"),
    ]

    static let rtpCorpus: [[UInt8]] = [
        RTPPacketTests.opus,
        hex("82E00001 00000002 00000003 0000000A 0000000B 0102"),
        hex("B0000001 00000002 00000003 10000002 01000000 C8036162 63000000 AABB 0000000004"),
        hex("A0000001 00000002 00000003 AABBCC 000003"),
    ]

    /// Parses as RTCP; if that works, checks the serialize → parse round trip.
    func checkRTCP(_ bytes: [UInt8]) -> Bool {
        guard let compound = try? RTCPCompoundPacket(parsing: bytes) else { return false }
        var out: [UInt8] = []
        compound.serialize(into: &out)
        guard let again = try? RTCPCompoundPacket(parsing: out) else {
            Issue.record("re-serialized RTCP does not parse: \(bytes) -> \(out)")
            return true
        }
        #expect(ComparablePacket.list(again) == ComparablePacket.list(compound), "\(bytes)")
        return true
    }

    /// Parses as RTP; if that works, checks ranges and the round trip.
    func checkRTP(_ bytes: [UInt8]) -> Bool {
        guard let packet = try? RTPPacket(parsing: bytes) else { return false }
        #expect(packet.payloadRange.lowerBound >= RTPHeader.fixedSize)
        #expect(packet.payloadRange.upperBound + Int(packet.paddingLength) == bytes.count)
        if let headerExtension = packet.header.headerExtension, let elements = try? headerExtension.elements() {
            for element in elements {
                #expect(element.range.lowerBound >= headerExtension.data.startIndex && element.range.upperBound <= headerExtension.data.endIndex)
            }
        }
        var out: [UInt8] = []
        packet.serialize(into: &out)
        #expect(out.count == packet.serializedLength)
        #expect((try? RTPPacket(parsing: out)) == packet)
        return true
    }

    @Test func randomRTPDatagrams() {
        var generator = SeededGenerator(seed: 3550)
        var parsed = 0
        for _ in 0..<5000 {
            var bytes = generator.bytes(count: Int.random(in: 0...120, using: &generator))
            if !bytes.isEmpty, Bool.random(using: &generator) { bytes[0] = 0x80 | (bytes[0] & 0x3F) }
            if checkRTP(bytes) { parsed += 1 }
        }
        #expect(parsed > 100) // the generator does reach the deeper paths
    }

    @Test func randomRTCPDatagrams() {
        var generator = SeededGenerator(seed: 4585)
        for _ in 0..<5000 {
            _ = checkRTCP(generator.bytes(count: Int.random(in: 0...120, using: &generator)))
        }
    }

    /// Random bodies behind a consistent header, so every packet-type parser sees garbage.
    @Test func randomBodiesForEveryPacketType() {
        var generator = SeededGenerator(seed: 5104)
        let types: [(type: UInt8, count: UInt8?)] = [
            (200, nil), (201, nil), (202, nil), (203, nil), (204, nil),
            (205, 1), (205, 15), (205, 3), (206, 1), (206, 4), (206, 15),
        ]
        var parsed = 0
        for round in 0..<11000 {
            let (type, format) = types[round % types.count]
            let words = Int.random(in: 0...24, using: &generator)
            var body = generator.bytes(count: words * 4)
            if type == 206, format == 15, body.count >= 12, Bool.random(using: &generator) {
                body.replaceSubrange(8..<12, with: Array("REMB".utf8))
            }
            if type == 205, format == 15, body.count >= 12 {
                body[10] = 0 // keep packet status counts mostly small so deltas can fit
                if Bool.random(using: &generator) { body[11] &= 0x1F }
            }
            let count = format ?? UInt8.random(in: 0...31, using: &generator) & (Bool.random(using: &generator) ? 0x1F : 0x01)
            let padding: UInt8 = Bool.random(using: &generator) && words > 0 ? 0x20 : 0
            let header: [UInt8] = [0x80 | padding | count, type, UInt8(words >> 8), UInt8(words & 0xFF)]
            if checkRTCP(header + body) { parsed += 1 }
        }
        #expect(parsed > 1000)
    }

    @Test func mutatedRTCPNeverCrashes() {
        var generator = SeededGenerator(seed: 6464)
        for round in 0..<8000 {
            var bytes = Self.rtcpCorpus[round % Self.rtcpCorpus.count]
            mutate(&bytes, using: &generator)
            _ = checkRTCP(bytes)
        }
    }

    @Test func mutatedRTPNeverCrashes() {
        var generator = SeededGenerator(seed: 8285)
        for round in 0..<8000 {
            var bytes = Self.rtpCorpus[round % Self.rtpCorpus.count]
            mutate(&bytes, using: &generator)
            _ = checkRTP(bytes)
        }
    }

    @Test func everyPrefixOfTheRTCPCorpusIsHandled() {
        for bytes in Self.rtcpCorpus {
            for length in 0...bytes.count { _ = checkRTCP(Array(bytes.prefix(length))) }
        }
    }

    func mutate(_ bytes: inout [UInt8], using generator: inout SeededGenerator) {
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            switch Int.random(in: 0..<6, using: &generator) {
            case 0, 1, 2:
                guard !bytes.isEmpty else { continue }
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            case 3:
                guard !bytes.isEmpty else { continue }
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] ^= 1 << UInt8.random(in: 0..<8, using: &generator)
            case 4:
                bytes.removeLast(Int.random(in: 0...min(8, bytes.count), using: &generator))
            default:
                bytes += generator.bytes(count: Int.random(in: 1...8, using: &generator))
            }
        }
    }
}
