/// Splits the keying material exported by DTLS into per-direction master keys (RFC 5764 §4.2).
public enum SRTPKeyingMaterial {
    /// The TLS exporter label for DTLS-SRTP (RFC 5764 §4.2); no context value is used.
    public static let exporterLabel = "EXTRACTOR-dtls_srtp"

    /// Splits `exported` (exactly `profile.keyingMaterialLength` bytes) laid out as
    /// `client_write_SRTP_master_key | server_write_SRTP_master_key |
    ///  client_write_SRTP_master_salt | server_write_SRTP_master_salt`.
    ///
    /// "client" and "server" are the DTLS roles, not the ICE or SDP roles.
    public static func split(
        _ exported: [UInt8], profile: SRTPProfile
    ) throws(SRTPError) -> (client: SRTPMasterKeys, server: SRTPMasterKeys) {
        guard exported.count == profile.keyingMaterialLength else {
            throw SRTPError(.badInput, "keying material length does not match the profile")
        }
        let keyLength = profile.masterKeyLength
        let saltLength = profile.masterSaltLength
        let clientKey = Array(exported[0..<keyLength])
        let serverKey = Array(exported[keyLength..<(2 * keyLength)])
        let saltStart = 2 * keyLength
        let clientSalt = Array(exported[saltStart..<(saltStart + saltLength)])
        let serverSalt = Array(exported[(saltStart + saltLength)..<(saltStart + 2 * saltLength)])
        return (
            client: SRTPMasterKeys(key: clientKey, salt: clientSalt),
            server: SRTPMasterKeys(key: serverKey, salt: serverSalt)
        )
    }
}
