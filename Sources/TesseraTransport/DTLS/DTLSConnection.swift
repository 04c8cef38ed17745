/// What a completed DTLS-SRTP handshake yields (RFC 5764 §4.2): the negotiated SRTP protection
/// profile and the exported keying material, after the peer certificate matched its SDP
/// fingerprint.
public struct DTLSConnection: Sendable, Hashable, CustomStringConvertible {
    public let role: DTLSRole
    /// The `use_srtp` profile id (0x0001 `SRTP_AES128_CM_HMAC_SHA1_80`, 0x0007 `SRTP_AEAD_AES_128_GCM`).
    public let srtpProfileID: UInt16
    /// `EXTRACTOR-dtls_srtp` output, `2 * (key + salt)` bytes laid out as
    /// client key | server key | client salt | server salt (RFC 5764 §4.2).
    public let keyingMaterial: [UInt8]
    /// The peer certificate's fingerprint, in the algorithm of the expected SDP fingerprint.
    public let peerFingerprint: DTLSFingerprint

    public var srtpProfile: DTLSSRTPProfile? { DTLSSRTPProfile(rawValue: srtpProfileID) }

    /// The master key followed by the master salt this endpoint protects outgoing SRTP with.
    public var localMasterKeyAndSalt: [UInt8] { masterKeyAndSalt(of: role) }

    /// The master key followed by the master salt the peer protects its SRTP with.
    public var remoteMasterKeyAndSalt: [UInt8] { masterKeyAndSalt(of: role == .client ? .server : .client) }

    /// Omits the keying material so that logging a connection never leaks keys.
    public var description: String {
        "DTLSConnection(role: \(role), srtpProfileID: 0x\(String(srtpProfileID, radix: 16)), "
            + "keyingMaterial: \(keyingMaterial.count) bytes, peerFingerprint: \(peerFingerprint))"
    }

    private func masterKeyAndSalt(of side: DTLSRole) -> [UInt8] {
        guard let profile = srtpProfile, keyingMaterial.count == profile.keyingMaterialLength else { return [] }
        let key = profile.masterKeyLength
        let salt = profile.masterSaltLength
        let keyStart = side == .client ? 0 : key
        let saltStart = 2 * key + (side == .client ? 0 : salt)
        return Array(keyingMaterial[keyStart..<keyStart + key] + keyingMaterial[saltStart..<saltStart + salt])
    }
}
