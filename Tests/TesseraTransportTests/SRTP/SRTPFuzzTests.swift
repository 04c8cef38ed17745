import TesseraTransport
import Testing

/// Seeded random and mutated inputs: every one must be refused with an `SRTPError`, never a crash.
/// Run under `swift test --sanitize=address` to catch out-of-bounds reads in libsrtp too.
@Suite struct SRTPFuzzTests {
    static let iterations = 3_000

    @Test(arguments: SRTPProfile.allCases)
    func randomBytesNeverUnprotect(_ profile: SRTPProfile) throws {
        let (server, _) = try Fixtures.dtlsPair(profile)
        var generator = SeededGenerator(seed: 0x5EED_0001)
        var refused = 0
        for _ in 0..<Self.iterations {
            let length = Int.random(in: 0...(SRTPSession.maximumProtectedLength + 20), using: &generator)
            var bytes = generator.bytes(length)
            if Bool.random(using: &generator), length > 0 { bytes[0] = 0x80 | (bytes[0] & 0x3F) }  // look like RTP v2
            var rtp = bytes
            var rtcp = bytes
            do { try server.unprotectRTP(&rtp) } catch { refused += 1 }
            do { try server.unprotectRTCP(&rtcp) } catch { refused += 1 }
        }
        #expect(refused == 2 * Self.iterations)
    }

    /// Short and header-shaped garbage, where libsrtp's own header parsing is exercised hardest:
    /// CSRC counts and extension lengths that point past the end.
    @Test(arguments: SRTPProfile.allCases)
    func headerShapedGarbageNeverUnprotects(_ profile: SRTPProfile) throws {
        let (server, _) = try Fixtures.dtlsPair(profile)
        var generator = SeededGenerator(seed: 0x5EED_0002)
        for _ in 0..<Self.iterations {
            let length = Int.random(in: 0...64, using: &generator)
            var bytes = generator.bytes(length)
            if length > 0 { bytes[0] = 0x80 | (bytes[0] & 0x1F) | (Bool.random(using: &generator) ? 0x10 : 0) }
            if length > 13 { bytes[12] = 0xBE; bytes[13] = 0xDE }
            var rtp = bytes
            var rtcp = bytes
            #expect(throws: SRTPError.self) { try server.unprotectRTP(&rtp) }
            #expect(throws: SRTPError.self) { try server.unprotectRTCP(&rtcp) }
        }
    }

    /// Truncating, extending or flipping any bit of a genuine packet is always detected.
    @Test(arguments: SRTPProfile.allCases)
    func mutatedGenuinePacketsAreRefused(_ profile: SRTPProfile) throws {
        let (server, client) = try Fixtures.dtlsPair(profile)
        var generator = SeededGenerator(seed: 0x5EED_0003)
        for iteration in 0..<Self.iterations {
            let isRTCP = iteration.isMultiple(of: 3)
            var packet =
                isRTCP
                ? Fixtures.rtcp(ssrc: 0xABCD_0001, extraWords: Int.random(in: 0...20, using: &generator))
                : Fixtures.rtp(
                    sequence: UInt16(truncatingIfNeeded: iteration), ssrc: 0xABCD_0001,
                    payload: generator.bytes(Int.random(in: 0...300, using: &generator)))
            if isRTCP { try client.protectRTCP(&packet) } else { try client.protectRTP(&packet) }

            switch Int.random(in: 0..<3, using: &generator) {
            case 0:
                packet.removeLast(Int.random(in: 1...packet.count, using: &generator))
            case 1:
                packet += generator.bytes(Int.random(in: 1...8, using: &generator))
            default:
                let bit = Int.random(in: 0..<(packet.count * 8), using: &generator)
                packet[bit / 8] ^= 1 << UInt8(bit % 8)
            }
            let result: Result<Void, SRTPError> =
                isRTCP
                ? Result { () throws(SRTPError) in try server.unprotectRTCP(&packet) }
                : Result { () throws(SRTPError) in try server.unprotectRTP(&packet) }
            #expect(throws: SRTPError.self, "iteration \(iteration)") { try result.get() }
        }
    }

    /// Garbage handed to protect either protects (libsrtp does not judge payloads) or is refused.
    @Test(arguments: SRTPProfile.allCases)
    func randomPlaintextNeverCrashesProtect(_ profile: SRTPProfile) throws {
        let (server, client) = try Fixtures.dtlsPair(profile)
        var generator = SeededGenerator(seed: 0x5EED_0004)
        for iteration in 0..<1_000 {
            let length = Int.random(in: 0...(SRTPSession.maximumPlaintextLength + 10), using: &generator)
            var bytes = generator.bytes(length)
            if length > 0 { bytes[0] = 0x80 | (bytes[0] & 0x3F) }
            // One SSRC (one stream) with rising sequence numbers, so what protects must unprotect.
            if length >= 4 { bytes[2...3] = [UInt8(iteration >> 8), UInt8(iteration & 0xFF)] }
            if length >= 12 { bytes[8...11] = [0xAB, 0xCD, 0x00, 0x01] }
            if length >= 8 { bytes[4...7] = [0xAB, 0xCD, 0x00, 0x01] }
            var rtp = bytes
            if (try? server.protectRTP(&rtp)) != nil {
                var received = rtp
                try client.unprotectRTP(&received)
                #expect(received == bytes)
            }
            var rtcp = bytes
            _ = try? server.protectRTCP(&rtcp)
        }
    }
}
