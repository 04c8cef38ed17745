import TesseraTransport
import Testing

@Suite struct SRTPKeyingMaterialTests {
    /// RFC 5764 §4.2: client key | server key | client salt | server salt.
    @Test(arguments: SRTPProfile.allCases)
    func splitFollowsTheRFC5764Layout(_ profile: SRTPProfile) throws {
        let material = (0..<profile.keyingMaterialLength).map { UInt8($0) }
        let keys = try SRTPKeyingMaterial.split(material, profile: profile)
        let key = profile.masterKeyLength
        let salt = profile.masterSaltLength
        #expect(keys.client.key == Array(material[0..<key]))
        #expect(keys.server.key == Array(material[key..<(2 * key)]))
        #expect(keys.client.salt == Array(material[(2 * key)..<(2 * key + salt)]))
        #expect(keys.server.salt == Array(material[(2 * key + salt)..<(2 * key + 2 * salt)]))
    }

    @Test func splitAesCounterModeExplicitOffsets() throws {
        let material = (0..<60).map { UInt8($0) }
        let keys = try SRTPKeyingMaterial.split(material, profile: .aes128CmHmacSha1_80)
        #expect(keys.client.key.first == 0 && keys.client.key.last == 15)
        #expect(keys.server.key.first == 16 && keys.server.key.last == 31)
        #expect(keys.client.salt.first == 32 && keys.client.salt.last == 45)
        #expect(keys.server.salt.first == 46 && keys.server.salt.last == 59)
    }

    @Test(arguments: SRTPProfile.allCases)
    func wrongLengthIsBadInput(_ profile: SRTPProfile) {
        for length in [0, profile.keyingMaterialLength - 1, profile.keyingMaterialLength + 1, 64] {
            let error = #expect(throws: SRTPError.self) {
                _ = try SRTPKeyingMaterial.split([UInt8](repeating: 1, count: length), profile: profile)
            }
            #expect(error?.kind == .badInput)
        }
    }

    @Test func exporterLabel() {
        #expect(SRTPKeyingMaterial.exporterLabel == "EXTRACTOR-dtls_srtp")
    }

    @Test func masterKeysNeverPrintTheirBytes() {
        let keys = SRTPMasterKeys(key: [0xDE, 0xAD, 0xBE, 0xEF], salt: [0xCA, 0xFE])
        #expect(String(describing: keys) == "SRTPMasterKeys(key: 4 bytes, salt: 2 bytes)")
        #expect(!String(reflecting: keys).lowercased().contains("dead"))
    }

    /// Server and client sessions from one export talk to each other in both directions…
    @Test(arguments: SRTPProfile.allCases)
    func dtlsRolesPairCrosswise(_ profile: SRTPProfile) throws {
        let (server, client) = try Fixtures.dtlsPair(profile)
        let original = Fixtures.rtp(sequence: 1, payload: Fixtures.payload(40))

        var toClient = original
        try server.protectRTP(&toClient)
        try client.unprotectRTP(&toClient)
        #expect(toClient == original)

        var toServer = original
        try client.protectRTP(&toServer)
        try server.unprotectRTP(&toServer)
        #expect(toServer == original)
    }

    /// …but a session cannot read its own output: outbound and inbound keys differ.
    @Test(arguments: SRTPProfile.allCases)
    func aSessionCannotUnprotectItsOwnPackets(_ profile: SRTPProfile) throws {
        let (server, _) = try Fixtures.dtlsPair(profile)
        var packet = Fixtures.rtp(sequence: 1, payload: Fixtures.payload(40))
        try server.protectRTP(&packet)
        let error = #expect(throws: SRTPError.self) { try server.unprotectRTP(&packet) }
        #expect(error?.kind == .authenticationFailed)
    }

    /// The server protects with the server write keys: a session built by hand from the split
    /// with the server keys inbound reads what a server-role session sends.
    @Test(arguments: SRTPProfile.allCases)
    func serverRoleSendsWithServerWriteKeys(_ profile: SRTPProfile) throws {
        let material = Fixtures.keyingMaterial(profile)
        let keys = try SRTPKeyingMaterial.split(material, profile: profile)
        let server = try SRTPSession.forDTLS(role: .server, profile: profile, keyingMaterial: material)
        let observer = try SRTPSession(profile: profile, inbound: keys.server, outbound: keys.client)
        let original = Fixtures.rtp(sequence: 9, payload: Fixtures.payload(30))
        var packet = original
        try server.protectRTP(&packet)
        try observer.unprotectRTP(&packet)
        #expect(packet == original)
    }

    @Test(arguments: SRTPProfile.allCases)
    func forDTLSRejectsWrongMaterialLength(_ profile: SRTPProfile) {
        let error = #expect(throws: SRTPError.self) {
            _ = try SRTPSession.forDTLS(role: .server, profile: profile, keyingMaterial: [UInt8](repeating: 0, count: 10))
        }
        #expect(error?.kind == .badInput)
    }
}
