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

    /// The session for a completed handshake, on `connection`'s side of it; throws
    /// `.badInput` when DTLS chose an SRTP profile we have no keys for.
    public static func forDTLS(_ connection: DTLSConnection) throws(SRTPError) -> SRTPSession {
        guard let profile = SRTPProfile(protectionProfileID: connection.srtpProfileID) else {
            throw SRTPError(.badInput, "DTLS chose an SRTP profile we cannot use")
        }
        return try forDTLS(role: connection.role, profile: profile, keyingMaterial: connection.keyingMaterial)
    }
}
