extension SRTPSession {
    /// The session for keys exported by a DTLS-SRTP handshake (RFC 5764 §4.2).
    ///
    /// Each side protects with its own write keys and unprotects with the other side's:
    /// the DTLS server (Tessera, normally) sends with the server keys and receives with the
    /// client keys.
    public static func forDTLS(
        role: DTLSRole, profile: SRTPProfile, keyingMaterial: [UInt8]
    ) throws(SRTPError) -> SRTPSession {
        let keys = try SRTPKeyingMaterial.split(keyingMaterial, profile: profile)
        switch role {
        case .server:
            return try SRTPSession(profile: profile, inbound: keys.client, outbound: keys.server)
        case .client:
            return try SRTPSession(profile: profile, inbound: keys.server, outbound: keys.client)
        }
    }
}
