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

    init(certificate: DTLSCertificate, srtpProfiles: [DTLSSRTPProfile]) throws(DTLSError) {
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
        // fingerprint, checked by the endpoint once the handshake completes. So the chain
        // verdict is ignored here, but a peer without a certificate fails the handshake.
        SSL_CTX_set_verify(pointer, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT) { _, _ in 1 }
    }

    deinit {
        SSL_CTX_free(pointer)
    }
}
