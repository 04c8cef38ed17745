import TesseraTransport

/// Test data shared by the SRTP suites.
enum Fixtures {
    /// RFC 3711 Appendix B.3 master key and salt (also libsrtp's `test_key`).
    static let rfcMasterKey = [UInt8](hex: "E1F97A0D3E018BE0D64FA32C06DE4139")
    static let rfcMasterSalt = [UInt8](hex: "0EC675AD498AFEEBB6960B3AABE6")
    static var rfcMasterKeys: SRTPMasterKeys { SRTPMasterKeys(key: rfcMasterKey, salt: rfcMasterSalt) }

    /// Keying material of `profile.keyingMaterialLength` bytes, different per seed.
    static func keyingMaterial(_ profile: SRTPProfile, seed: UInt64 = 1) -> [UInt8] {
        var generator = SeededGenerator(seed: seed)
        return generator.bytes(profile.keyingMaterialLength)
    }

    /// A server-role and a client-role session made from the same exported keying material.
    static func dtlsPair(_ profile: SRTPProfile, seed: UInt64 = 1) throws -> (server: SRTPSession, client: SRTPSession) {
        let material = keyingMaterial(profile, seed: seed)
        return (
            server: try SRTPSession.forDTLS(role: .server, profile: profile, keyingMaterial: material),
            client: try SRTPSession.forDTLS(role: .client, profile: profile, keyingMaterial: material)
        )
    }

    /// An RTP packet (RFC 3550 §5.1): V=2, PT 96, the given fields, optional CSRCs, payload bytes.
    static func rtp(
        sequence: UInt16, ssrc: UInt32 = 0x1122_3344, timestamp: UInt32 = 0x0102_0304,
        csrcs: [UInt32] = [], payload: [UInt8]
    ) -> [UInt8] {
        var packet: [UInt8] = [0x80 | UInt8(csrcs.count), 96]
        packet += .bigEndian(sequence)
        packet += .bigEndian(timestamp)
        packet += .bigEndian(ssrc)
        for csrc in csrcs { packet += .bigEndian(csrc) }
        return packet + payload
    }

    /// An RTCP receiver report with no report blocks (RFC 3550 §6.4.2) followed by `extra` bytes
    /// of an APP-like body, so sizes can vary.
    static func rtcp(ssrc: UInt32 = 0x1122_3344, extraWords: Int = 0) -> [UInt8] {
        var packet: [UInt8] = [0x80, 201]
        packet += .bigEndian(UInt16(1 + extraWords))
        packet += .bigEndian(ssrc)
        for word in 0..<extraWords { packet += .bigEndian(UInt32(0xA0B0_C0D0) &+ UInt32(word)) }
        return packet
    }

    /// Deterministic payload bytes.
    static func payload(_ count: Int, seed: UInt64 = 7) -> [UInt8] {
        var generator = SeededGenerator(seed: seed)
        return generator.bytes(count)
    }
}
