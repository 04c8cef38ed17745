import TesseraTransport
import Testing

/// Reference packets from libsrtp's own test driver (`test/srtp_driver.c`: `srtp_validate()` and
/// `srtp_validate_gcm()`, SSRC 0xCAFEBABE, sequence 0x1234, first SRTCP index 1).
@Suite struct SRTPKnownAnswerTests {
    static let rtpPlaintext = [UInt8](hex: "800f1234 decafbad cafebabe abababab abababab abababab abababab")
    static let rtcpPlaintext = [UInt8](hex: "81c8000b cafebabe abababab abababab abababab abababab")

    // srtp_validate(): AES_CM_128_HMAC_SHA1_80 with libsrtp's test_key (= RFC 3711 B.3 master key/salt).
    static let aesCMKeys = Fixtures.rfcMasterKeys
    static let aesCMRTP = [UInt8](
        hex: "800f1234 decafbad cafebabe 4e55dc4c e79978d8 8ca4d215 949d2402 b78d6acc 99ea179b 8dbb")
    static let aesCMRTCP = [UInt8](
        hex: "81c8000b cafebabe 7128035b e487b9bd bef89041 f977a5a8 80000001 993e08cd 54d6c123 0798")

    // srtp_validate_gcm(): AEAD_AES_128_GCM (16-byte tag) with test_key_gcm.
    static let gcmKeys = SRTPMasterKeys(
        key: [UInt8](hex: "000102030405060708090a0b0c0d0e0f"), salt: [UInt8](hex: "a0a1a2a3a4a5a6a7a8a9aaab"))
    static let gcmRTP = [UInt8](
        hex: """
            800f1234 decafbad cafebabe c5002ede 04cfdd2e b91159e0 880aa06e
            d2976826 f796b201 df3131a1 27e8a392
            """)
    static let gcmRTCP = [UInt8](
        hex: """
            81c8000b cafebabe c98b8b5d f0392a55 852b6c21 ac8e7025
            c52c6fbe a2b3b446 ea31123b a88ce61e 80000001
            """)

    struct Vector: Sendable, CustomTestStringConvertible {
        let profile: SRTPProfile
        let keys: SRTPMasterKeys
        let srtp: [UInt8]
        let srtcp: [UInt8]
        var testDescription: String { profile.description }
    }

    static let vectors = [
        Vector(profile: .aes128CmHmacSha1_80, keys: aesCMKeys, srtp: aesCMRTP, srtcp: aesCMRTCP),
        Vector(profile: .aeadAes128Gcm, keys: gcmKeys, srtp: gcmRTP, srtcp: gcmRTCP),
    ]

    @Test(arguments: vectors)
    func protectMatchesLibsrtpReference(_ vector: Vector) throws {
        let session = try SRTPSession(profile: vector.profile, inbound: vector.keys, outbound: vector.keys)
        var rtp = Self.rtpPlaintext
        try session.protectRTP(&rtp)
        #expect(rtp.hex == vector.srtp.hex)

        var rtcp = Self.rtcpPlaintext
        try session.protectRTCP(&rtcp)
        #expect(rtcp.hex == vector.srtcp.hex)
    }

    @Test(arguments: vectors)
    func unprotectRecoversLibsrtpReference(_ vector: Vector) throws {
        let session = try SRTPSession(profile: vector.profile, inbound: vector.keys, outbound: vector.keys)
        var rtp = vector.srtp
        try session.unprotectRTP(&rtp)
        #expect(rtp == Self.rtpPlaintext)

        var rtcp = vector.srtcp
        try session.unprotectRTCP(&rtcp)
        #expect(rtcp == Self.rtcpPlaintext)
    }
}
