import TesseraTransport
import Testing

/// RFC 3711 Appendix B.3 ("Key Derivation Test Vectors"), typed from the RFC.
@Suite struct SRTPKeyDerivationTests {
    let kdf: SRTPKeyDerivation

    init() throws {
        kdf = try SRTPKeyDerivation(masterKey: Fixtures.rfcMasterKey, masterSalt: Fixtures.rfcMasterSalt)
    }

    @Test func cipherKey() throws {
        #expect(try kdf.derive(.rtpEncryption, length: 16) == [UInt8](hex: "C61E7A93744F39EE10734AFE3FF7A087"))
    }

    @Test func cipherSalt() throws {
        #expect(try kdf.derive(.rtpSalt, length: 14) == [UInt8](hex: "30CBBC08863D8C85D49DB34A9AE1"))
    }

    /// The RFC lists 94 bytes of authentication key stream (six AES blocks, the last truncated).
    @Test func authenticationKeyFullVector() throws {
        let expected = [UInt8](
            hex: """
                CEBE321F6FF7716B6FD4AB49AF256A15
                6D38BAA48F0A0ACF3C34E2359E6CDBCE
                E049646C43D9327AD175578EF7227098
                6371C10C9A369AC2F94A8C5FBCDDDC25
                6D6E919A48B610EF17C2041E47403576
                6B68642C59BBFC2F34DB60DBDFB2
                """)
        #expect(expected.count == 94)
        #expect(try kdf.derive(.rtpAuthentication, length: 94) == expected)
        #expect(try kdf.derive(.rtpAuthentication, length: 20) == [UInt8](hex: "CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"))
    }

    @Test func sessionKeysForAesCounterMode() throws {
        let keys = try kdf.sessionKeys(.rtp, profile: .aes128CmHmacSha1_80)
        #expect(keys.encryptionKey == [UInt8](hex: "C61E7A93744F39EE10734AFE3FF7A087"))
        #expect(keys.authenticationKey == [UInt8](hex: "CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"))
        #expect(keys.salt == [UInt8](hex: "30CBBC08863D8C85D49DB34A9AE1"))
        #expect(!String(describing: keys).contains("c61e"))
    }

    @Test func rtcpLabelsGiveDifferentKeys() throws {
        let rtp = try kdf.sessionKeys(.rtp, profile: .aes128CmHmacSha1_80)
        let rtcp = try kdf.sessionKeys(.rtcp, profile: .aes128CmHmacSha1_80)
        #expect(rtp.encryptionKey != rtcp.encryptionKey)
        #expect(rtp.authenticationKey != rtcp.authenticationKey)
        #expect(rtp.salt != rtcp.salt)
        let all = try SRTPKeyDerivation.Label.allCases.map { try kdf.derive($0, length: 16) }
        #expect(Set(all.map(\.hex)).count == 6)
    }

    @Test func gcmHasNoAuthenticationKeyAndA12ByteSalt() throws {
        let gcm = try SRTPKeyDerivation(masterKey: Fixtures.rfcMasterKey, masterSalt: Array(Fixtures.rfcMasterSalt[0..<12]))
        let keys = try gcm.sessionKeys(.rtp, profile: .aeadAes128Gcm)
        #expect(keys.encryptionKey.count == 16)
        #expect(keys.authenticationKey.isEmpty)
        #expect(keys.salt.count == 12)
    }

    @Test func badMasterLengthsAreRejected() {
        for (key, salt) in [(15, 14), (17, 14), (0, 14), (16, 13), (16, 15), (16, 0)] {
            let error = #expect(throws: SRTPError.self) {
                _ = try SRTPKeyDerivation(
                    masterKey: [UInt8](repeating: 1, count: key), masterSalt: [UInt8](repeating: 2, count: salt))
            }
            #expect(error?.kind == .badInput)
        }
    }

    @Test func outputLengthIsBounded() {
        for length in [0, -1, SRTPKeyDerivation.maximumOutputLength + 1] {
            #expect(throws: SRTPError.self) { _ = try kdf.derive(.rtpEncryption, length: length) }
        }
    }

    /// RFC 3711 Appendix B.2 ("AES-CM Test Vectors"): checks the reference counter-mode helper the
    /// cross-check tests decrypt with, including the IV construction with SSRC and index zero.
    @Test func referenceCounterModeMatchesRFC3711AppendixB2() {
        let sessionKey = [UInt8](hex: "2B7E151628AED2A6ABF7158809CF4F3C")
        let sessionSalt = [UInt8](hex: "F0F1F2F3F4F5F6F7F8F9FAFBFCFD")
        let iv = ReferenceCrypto.srtpCounterIV(salt: sessionSalt, ssrc: 0, index: 0)
        #expect(iv == [UInt8](hex: "F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"))
        let keystream = ReferenceCrypto.aes128CTR(key: sessionKey, iv: iv, [UInt8](repeating: 0, count: 48))
        #expect(
            keystream
                == [UInt8](
                    hex: """
                        E03EAD0935C95E80E166B16DD92B4EB4
                        D23513162B02D0F72A43A2FE4A5F97AB
                        41E95B3BB0A2E8DD477901E4FCA894C0
                        """))
    }
}
