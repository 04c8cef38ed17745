import TesseraTransport
import Testing

/// Protects with libsrtp through `SRTPSession`, then decrypts and authenticates the result with
/// nothing but OpenSSL primitives and the keys `SRTPKeyDerivation` computes — proving that the
/// session hands libsrtp the right master key, salt and profile, and that our KDF is libsrtp's.
@Suite struct SRTPIndependentDecryptionTests {
    static let ssrc: UInt32 = 0x1234_5678

    /// (sequence number, rollover counter the sender is at). Crossing 65535 → 0 bumps the ROC.
    static let sequence: [(UInt16, UInt32)] = [(65_534, 0), (65_535, 0), (0, 1), (1, 1), (2, 1)]

    /// RFC 3711 §3.1, §4.1.1 and §4.2: AES-CM encryption after the header (CSRCs included),
    /// HMAC-SHA1 over header ‖ ciphertext ‖ ROC, truncated to 80 bits.
    @Test func aesCounterModeRTPMatchesHandDecryption() throws {
        let session = try SRTPSession(
            profile: .aes128CmHmacSha1_80, inbound: Fixtures.rfcMasterKeys, outbound: Fixtures.rfcMasterKeys)
        let kdf = try SRTPKeyDerivation(masterKey: Fixtures.rfcMasterKey, masterSalt: Fixtures.rfcMasterSalt)
        let keys = try kdf.sessionKeys(.rtp, profile: .aes128CmHmacSha1_80)

        for (offset, (sequence, roc)) in Self.sequence.enumerated() {
            let payload = Fixtures.payload(37 + offset, seed: UInt64(offset))
            let plain = Fixtures.rtp(sequence: sequence, ssrc: Self.ssrc, csrcs: [0xC5C5_0001], payload: payload)
            let headerLength = 16
            var packet = plain
            try session.protectRTP(&packet)
            #expect(packet.count == plain.count + 10)
            #expect(Array(packet[0..<headerLength]) == Array(plain[0..<headerLength]))

            let ciphertext = Array(packet[headerLength..<(packet.count - 10)])
            let tag = Array(packet[(packet.count - 10)...])
            let index = UInt64(roc) << 16 | UInt64(sequence)
            let iv = ReferenceCrypto.srtpCounterIV(salt: keys.salt, ssrc: Self.ssrc, index: index)
            #expect(ReferenceCrypto.aes128CTR(key: keys.encryptionKey, iv: iv, ciphertext) == payload)

            let authenticated = Array(packet[0..<(packet.count - 10)]) + [UInt8].bigEndian(roc)
            let expectedTag = Array(ReferenceCrypto.hmacSHA1(key: keys.authenticationKey, authenticated)[0..<10])
            #expect(tag == expectedTag, "tag of sequence \(sequence), ROC \(roc)")
        }
    }

    /// RFC 3711 §3.4: SRTCP encrypts after the first 8 bytes, appends E ‖ 31-bit index, and
    /// authenticates everything before the tag, with the SRTCP keys (labels 3, 4, 5).
    @Test func aesCounterModeRTCPMatchesHandDecryption() throws {
        let session = try SRTPSession(
            profile: .aes128CmHmacSha1_80, inbound: Fixtures.rfcMasterKeys, outbound: Fixtures.rfcMasterKeys)
        let kdf = try SRTPKeyDerivation(masterKey: Fixtures.rfcMasterKey, masterSalt: Fixtures.rfcMasterSalt)
        let keys = try kdf.sessionKeys(.rtcp, profile: .aes128CmHmacSha1_80)

        for expectedIndex in UInt32(1)...3 {
            let plain = Fixtures.rtcp(ssrc: Self.ssrc, extraWords: 5 + Int(expectedIndex))
            var packet = plain
            try session.protectRTCP(&packet)
            #expect(packet.count == plain.count + 4 + 10)

            let trailerStart = packet.count - 10 - 4
            let word = packet[trailerStart..<(trailerStart + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            #expect(word >> 31 == 1, "E flag: the payload is encrypted")
            #expect(word & 0x7FFF_FFFF == expectedIndex)

            let iv = ReferenceCrypto.srtpCounterIV(salt: keys.salt, ssrc: Self.ssrc, index: UInt64(word & 0x7FFF_FFFF))
            let decrypted = ReferenceCrypto.aes128CTR(key: keys.encryptionKey, iv: iv, Array(packet[8..<trailerStart]))
            #expect(decrypted == Array(plain[8...]))

            let expectedTag = Array(ReferenceCrypto.hmacSHA1(key: keys.authenticationKey, Array(packet[0..<(packet.count - 10)]))[0..<10])
            #expect(Array(packet[(packet.count - 10)...]) == expectedTag)
        }
    }

    /// RFC 7714 §8: AES-GCM over the payload with the RTP header as associated data, 16-byte tag,
    /// IV = salt XOR (0 ‖ SSRC ‖ ROC ‖ SEQ). Also checks the 12-byte-salt KDF against libsrtp.
    @Test func gcmRTPMatchesHandDecryption() throws {
        let master = SRTPMasterKeys(key: Fixtures.rfcMasterKey, salt: Array(Fixtures.rfcMasterSalt[0..<12]))
        let session = try SRTPSession(profile: .aeadAes128Gcm, inbound: master, outbound: master)
        let keys = try SRTPKeyDerivation(masterKey: master.key, masterSalt: master.salt)
            .sessionKeys(.rtp, profile: .aeadAes128Gcm)

        for (offset, (sequence, roc)) in Self.sequence.enumerated() {
            let payload = Fixtures.payload(50 + offset, seed: UInt64(100 + offset))
            let plain = Fixtures.rtp(sequence: sequence, ssrc: Self.ssrc, payload: payload)
            var packet = plain
            try session.protectRTP(&packet)
            #expect(packet.count == plain.count + 16)

            let iv = ReferenceCrypto.gcmIV(salt: keys.salt, ssrc: Self.ssrc, value: UInt64(roc) << 16 | UInt64(sequence))
            let opened = ReferenceCrypto.aes128GCMOpen(
                key: keys.encryptionKey, iv: iv, aad: Array(packet[0..<12]),
                ciphertext: Array(packet[12..<(packet.count - 16)]), tag: Array(packet[(packet.count - 16)...]))
            #expect(opened == payload, "sequence \(sequence), ROC \(roc)")
        }
    }

    /// RFC 7714 §9: SRTCP with GCM: header ‖ ciphertext ‖ tag ‖ E‖index; the associated data is
    /// the 8-byte header followed by E‖index; IV = salt XOR (0 ‖ SSRC ‖ 0 ‖ index).
    @Test func gcmRTCPMatchesHandDecryption() throws {
        let master = SRTPMasterKeys(key: Fixtures.rfcMasterKey, salt: Array(Fixtures.rfcMasterSalt[0..<12]))
        let session = try SRTPSession(profile: .aeadAes128Gcm, inbound: master, outbound: master)
        let keys = try SRTPKeyDerivation(masterKey: master.key, masterSalt: master.salt)
            .sessionKeys(.rtcp, profile: .aeadAes128Gcm)

        let plain = Fixtures.rtcp(ssrc: Self.ssrc, extraWords: 6)
        var packet = plain
        try session.protectRTCP(&packet)
        #expect(packet.count == plain.count + 16 + 4)

        let trailer = Array(packet[(packet.count - 4)...])
        let word = trailer.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        #expect(word == 0x8000_0001)
        let iv = ReferenceCrypto.gcmIV(salt: keys.salt, ssrc: Self.ssrc, value: UInt64(word & 0x7FFF_FFFF))
        let body = Array(packet[8..<(packet.count - 4)])
        let opened = ReferenceCrypto.aes128GCMOpen(
            key: keys.encryptionKey, iv: iv, aad: Array(packet[0..<8]) + trailer,
            ciphertext: Array(body.dropLast(16)), tag: Array(body.suffix(16)))
        #expect(opened == Array(plain[8...]))
    }
}
