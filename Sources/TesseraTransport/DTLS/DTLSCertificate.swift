internal import COpenSSL

/// The server's self-signed ECDSA P-256 certificate for DTLS-SRTP (RFC 5763 §5: identity is the
/// fingerprint in SDP, not a CA chain), as browsers generate theirs.
///
/// Sendable so that one certificate is shared by every session: it holds only DER bytes, and
/// each endpoint loads its own `X509`/`EVP_PKEY` from them (`DTLSCertificateHandles`). No
/// OpenSSL object is shared between threads; installing a certificate into an `SSL_CTX` even
/// writes to it (`EVP_PKEY_copy_parameters` on the certificate's public key).
public struct DTLSCertificate: Sendable {
    /// The certificate, DER-encoded.
    public let derBytes: [UInt8]
    /// The private key, DER-encoded (SEC 1 `ECPrivateKey`). Never leaves the module.
    let privateKeyDER: [UInt8]
    /// SHA-256 of `derBytes`, for the local SDP `a=fingerprint:` line.
    public let fingerprint: DTLSFingerprint

    /// Generates a fresh key pair and certificate: ECDSA P-256, signed with SHA-256, a random
    /// 128-bit serial, subject and issuer `CN=<commonName>`, valid from one day ago (clock skew,
    /// as libwebrtc does) until `lifetime` from now.
    public init(commonName: String = "tessera", lifetime: Duration = .seconds(30 * 24 * 3600)) throws(DTLSError) {
        let handles = try DTLSCertificateHandles.generate(
            commonName: commonName, lifetimeSeconds: Int(lifetime.components.seconds))
        derBytes = try derEncoding(of: handles.x509)
        privateKeyDER = try handles.privateKeyDER()
        fingerprint = try DTLSFingerprint(algorithm: .sha256, certificateDER: derBytes)
    }

    /// Fresh OpenSSL objects for one `SSL_CTX`.
    func makeHandles() throws(DTLSError) -> DTLSCertificateHandles {
        try DTLSCertificateHandles(certificateDER: derBytes, privateKeyDER: privateKeyDER)
    }
}

/// Owns one `X509` and its `EVP_PKEY`; freed in `deinit`. Confined to the code that made it.
final class DTLSCertificateHandles {
    let x509: OpaquePointer
    let privateKey: OpaquePointer

    /// Takes ownership of both references.
    private init(x509: OpaquePointer, privateKey: OpaquePointer) {
        self.x509 = x509
        self.privateKey = privateKey
    }

    deinit {
        X509_free(x509)
        EVP_PKEY_free(privateKey)
    }

    convenience init(certificateDER: [UInt8], privateKeyDER: [UInt8]) throws(DTLSError) {
        let x509 = certificateDER.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_X509(nil, &cursor, buffer.count)
        }
        let key = privateKeyDER.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_AutoPrivateKey(nil, &cursor, buffer.count)
        }
        guard let x509, let key else {
            X509_free(x509)
            EVP_PKEY_free(key)
            throw DTLSError.openSSL(.certificate, "cannot load certificate or key DER")
        }
        self.init(x509: x509, privateKey: key)
    }

    static func generate(commonName: String, lifetimeSeconds: Int) throws(DTLSError) -> DTLSCertificateHandles {
        let key = try check(tessera_EVP_EC_gen("P-256"), .certificate, "EVP_EC_gen(P-256)")
        guard let x509 = X509_new() else {
            EVP_PKEY_free(key)
            throw DTLSError.openSSL(.certificate, "X509_new")
        }
        let handles = DTLSCertificateHandles(x509: x509, privateKey: key)

        try check(X509_set_version(x509, Int(X509_VERSION_3)), .certificate, "X509_set_version")
        try handles.setRandomSerial()
        _ = try check(X509_gmtime_adj(X509_getm_notBefore(x509), -24 * 3600), .certificate, "notBefore")
        _ = try check(X509_gmtime_adj(X509_getm_notAfter(x509), lifetimeSeconds), .certificate, "notAfter")

        let name = try check(X509_get_subject_name(x509), .certificate, "X509_get_subject_name")
        let cn = Array(commonName.utf8)
        try check(
            X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, cn, Int32(cn.count), -1, 0),
            .certificate, "X509_NAME_add_entry_by_txt(CN)")
        try check(X509_set_issuer_name(x509, name), .certificate, "X509_set_issuer_name")
        try check(X509_set_pubkey(x509, key), .certificate, "X509_set_pubkey")
        guard X509_sign(x509, key, EVP_sha256()) > 0 else {
            throw DTLSError.openSSL(.certificate, "X509_sign")
        }
        return handles
    }

    /// A random positive 128-bit serial (RFC 5280 §4.1.2.2 allows up to 20 octets).
    private func setRandomSerial() throws(DTLSError) {
        var random = [UInt8](repeating: 0, count: 16)
        try check(RAND_bytes(&random, Int32(random.count)), .certificate, "RAND_bytes")
        let number = try check(BN_bin2bn(random, Int32(random.count), nil), .certificate, "BN_bin2bn")
        defer { BN_free(number) }
        _ = try check(BN_to_ASN1_INTEGER(number, X509_get_serialNumber(x509)), .certificate, "serial")
    }

    func privateKeyDER() throws(DTLSError) -> [UInt8] {
        let length = i2d_PrivateKey(privateKey, nil)
        guard length > 0 else { throw DTLSError.openSSL(.certificate, "i2d_PrivateKey") }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return i2d_PrivateKey(privateKey, &cursor)
        }
        guard written == length else { throw DTLSError.openSSL(.certificate, "i2d_PrivateKey") }
        return der
    }
}
