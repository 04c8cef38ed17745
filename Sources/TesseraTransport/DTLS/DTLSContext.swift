internal import COpenSSL

/// An `SSL_CTX` configured for WebRTC DTLS-SRTP; freed in `deinit`.
///
/// Each endpoint builds its own context (one `SSL_CTX_new` plus a DER parse of the shared
/// certificate per session, well under the cost of the handshake's own crypto). That keeps
/// every OpenSSL object of a session confined to the session, with no cross-thread sharing to
/// reason about, and lets each endpoint choose its offered SRTP profiles.
final class DTLSContext {
    /// ECDHE with AEAD first, then CBC fallbacks, as browsers offer. A server picks only the
    /// ECDSA suites (its certificate is ECDSA); the RSA ones let a client talk to RSA peers.
    static let cipherList = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305",
        "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305",
        "ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA",
    ].joined(separator: ":")

    let pointer: OpaquePointer
    /// Read by the verify callback through the context's ex_data slot 0; lives as long as the context.
    let peerCheck: PeerCertificateCheck

    init(certificate: DTLSCertificate, srtpProfiles: [DTLSSRTPProfile], expectedPeerFingerprint: DTLSFingerprint)
        throws(DTLSError)
    {
        peerCheck = PeerCertificateCheck(expected: expectedPeerFingerprint)
        guard !srtpProfiles.isEmpty else {
            throw DTLSError(.configuration, "at least one SRTP protection profile is required")
        }
        let handles = try certificate.makeHandles()
        pointer = try check(SSL_CTX_new(DTLS_method()), .configuration, "SSL_CTX_new(DTLS_method)")

        // RFC 8827 §6.5: DTLS 1.2 or later. No tickets or renegotiation: a WebRTC association
        // is one handshake. The MTU is set per SSL instead of probed from a socket.
        try check(
            tessera_SSL_CTX_set_min_proto_version(pointer, DTLS1_2_VERSION), .configuration,
            "SSL_CTX_set_min_proto_version(DTLS 1.2)")
        SSL_CTX_set_options(
            pointer, tessera_SSL_OP_NO_QUERY_MTU() | tessera_SSL_OP_NO_TICKET() | tessera_SSL_OP_NO_RENEGOTIATION())
        try check(SSL_CTX_set_cipher_list(pointer, Self.cipherList), .configuration, "SSL_CTX_set_cipher_list")

        // RFC 5764 §4.1.2 use_srtp, in preference order (a server picks by its own order).
        // This call alone returns 0 on success.
        let profiles = srtpProfiles.map(\.openSSLName).joined(separator: ":")
        guard SSL_CTX_set_tlsext_use_srtp(pointer, profiles) == 0 else {
            throw DTLSError.openSSL(.configuration, "SSL_CTX_set_tlsext_use_srtp(\(profiles))")
        }

        try check(SSL_CTX_use_certificate(pointer, handles.x509), .configuration, "SSL_CTX_use_certificate")
        try check(SSL_CTX_use_PrivateKey(pointer, handles.privateKey), .configuration, "SSL_CTX_use_PrivateKey")
        try check(SSL_CTX_check_private_key(pointer), .configuration, "SSL_CTX_check_private_key")

        // RFC 5763 §5: both sides present a certificate, self-signed; trust comes from the SDP
        // fingerprint. The chain verdict is ignored, but the leaf must match the fingerprint
        // here, during the handshake, so a mismatch aborts it with an alert before our
        // Finished: the peer never believes it is connected. A peer without a certificate
        // fails the handshake too.
        try check(
            SSL_CTX_set_ex_data(pointer, 0, Unmanaged.passUnretained(peerCheck).toOpaque()), .configuration,
            "SSL_CTX_set_ex_data")
        SSL_CTX_set_verify(pointer, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT) { _, store in
            guard let store else { return 0 }
            guard X509_STORE_CTX_get_error_depth(store) == 0 else { return 1 }
            guard let certificate = X509_STORE_CTX_get_current_cert(store),
                let ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()),
                let context = SSL_get_SSL_CTX(OpaquePointer(ssl)),
                let raw = SSL_CTX_get_ex_data(context, 0)
            else { return 0 }
            return Unmanaged<PeerCertificateCheck>.fromOpaque(raw).takeUnretainedValue().accepts(certificate) ? 1 : 0
        }
    }

    deinit {
        SSL_CTX_free(pointer)
    }
}

/// The SDP fingerprint a peer certificate must match, and what the check found.
final class PeerCertificateCheck {
    let expected: DTLSFingerprint
    /// Set when a presented certificate did not match (for the error the endpoint reports).
    private(set) var mismatch: String?

    init(expected: DTLSFingerprint) { self.expected = expected }

    func accepts(_ certificate: OpaquePointer) -> Bool {
        guard let actual = try? DTLSFingerprint(algorithm: expected.algorithm, certificate: certificate) else {
            mismatch = "the peer certificate could not be hashed"
            return false
        }
        guard actual == expected else {
            mismatch = "peer certificate is \(actual), SDP says \(expected)"
            return false
        }
        return true
    }
}
