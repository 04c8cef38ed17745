import TesseraTransport
import Testing

@Suite struct SRTPProfileTests {
    @Test(arguments: SRTPProfile.allCases)
    func protectionProfileIDRoundTrips(_ profile: SRTPProfile) {
        #expect(SRTPProfile(protectionProfileID: profile.protectionProfileID) == profile)
    }

    @Test func registryIdentifiers() {
        #expect(SRTPProfile(protectionProfileID: 0x0001) == .aes128CmHmacSha1_80)
        #expect(SRTPProfile(protectionProfileID: 0x0007) == .aeadAes128Gcm)
    }

    @Test(arguments: [UInt16(0x0000), 0x0002, 0x0005, 0x0006, 0x0008, 0xFFFF])
    func profilesWeDoNotOfferAreRejected(_ id: UInt16) {
        #expect(SRTPProfile(protectionProfileID: id) == nil)
    }

    @Test func aesCounterModeLengths() {
        let profile = SRTPProfile.aes128CmHmacSha1_80
        #expect(profile.masterKeyLength == 16)
        #expect(profile.masterSaltLength == 14)
        #expect(profile.authTagLength == 10)
        #expect(profile.sessionAuthKeyLength == 20)
        #expect(profile.keyingMaterialLength == 60)
        #expect(profile.description == "SRTP_AES128_CM_HMAC_SHA1_80")
    }

    @Test func gcmLengths() {
        let profile = SRTPProfile.aeadAes128Gcm
        #expect(profile.masterKeyLength == 16)
        #expect(profile.masterSaltLength == 12)
        #expect(profile.authTagLength == 16)
        #expect(profile.sessionAuthKeyLength == 0)
        #expect(profile.keyingMaterialLength == 56)
        #expect(profile.description == "SRTP_AEAD_AES_128_GCM")
    }
}
