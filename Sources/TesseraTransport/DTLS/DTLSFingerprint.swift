internal import COpenSSL

/// A certificate fingerprint as carried in SDP `a=fingerprint:<hash-func> <hex>` (RFC 8122 §5,
/// RFC 5763 §5): the hash function and the digest of the certificate's DER encoding.
///
/// Equality is constant-time over the digest bytes (`CRYPTO_memcmp`).
public struct DTLSFingerprint: Sendable, Hashable, CustomStringConvertible {
    /// The hash functions of the IANA "Hash Function Textual Names" registry that are still
    /// acceptable (RFC 8122 §5 deprecates md2 and md5).
    public enum Algorithm: String, Sendable, Hashable, CaseIterable {
        case sha1 = "sha-1"
        case sha224 = "sha-224"
        case sha256 = "sha-256"
        case sha384 = "sha-384"
        case sha512 = "sha-512"

        /// The digest size in bytes.
        public var digestLength: Int {
            switch self {
            case .sha1: 20
            case .sha224: 28
            case .sha256: 32
            case .sha384: 48
            case .sha512: 64
            }
        }

        var messageDigest: OpaquePointer? {
            switch self {
            case .sha1: EVP_sha1()
            case .sha224: EVP_sha224()
            case .sha256: EVP_sha256()
            case .sha384: EVP_sha384()
            case .sha512: EVP_sha512()
            }
        }
    }

    public let algorithm: Algorithm
    public let bytes: [UInt8]

    /// A fingerprint from a digest; `bytes` must have the algorithm's digest length.
    public init(algorithm: Algorithm, bytes: [UInt8]) throws(DTLSError) {
        guard bytes.count == algorithm.digestLength else {
            throw DTLSError(
                .invalidFingerprint,
                "\(algorithm.rawValue) digest has \(algorithm.digestLength) bytes, got \(bytes.count)")
        }
        self.algorithm = algorithm
        self.bytes = bytes
    }

    /// Parses the value of an SDP fingerprint attribute, e.g. `sha-256 AB:CD:…:EF`.
    ///
    /// The hash function name is case-insensitive (RFC 8122 §5 / RFC 4572 §5); hex digits are
    /// accepted in either case although RFC 8122 writes them upper case.
    public init(sdpValue: String) throws(DTLSError) {
        let fields = sdpValue.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 2 else {
            throw DTLSError(.invalidFingerprint, "expected \"<hash-func> <hex>\", got \"\(sdpValue)\"")
        }
        guard let algorithm = Algorithm(rawValue: fields[0].lowercased()) else {
            throw DTLSError(.invalidFingerprint, "unsupported hash function \"\(fields[0])\"")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(algorithm.digestLength)
        for pair in fields[1].utf8.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false) {
            guard pair.count == 2, let high = Self.hexValue(pair.first!), let low = Self.hexValue(pair.last!) else {
                throw DTLSError(.invalidFingerprint, "malformed hex pair in \"\(fields[1])\"")
            }
            bytes.append(high << 4 | low)
        }
        try self.init(algorithm: algorithm, bytes: bytes)
    }

    /// The digest of a DER-encoded certificate.
    public init(algorithm: Algorithm, certificateDER der: [UInt8]) throws(DTLSError) {
        let md = try check(algorithm.messageDigest, .configuration, "EVP_\(algorithm) unavailable")
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        try check(EVP_Digest(der, der.count, &digest, &length, md, nil), .configuration, "EVP_Digest")
        try self.init(algorithm: algorithm, bytes: Array(digest.prefix(Int(length))))
    }

    /// The digest of an OpenSSL `X509`'s DER encoding (the peer certificate after a handshake).
    init(algorithm: Algorithm, certificate x509: OpaquePointer) throws(DTLSError) {
        try self.init(algorithm: algorithm, certificateDER: try derEncoding(of: x509))
    }

    /// Upper-case, colon-separated hex: `AB:CD:…`.
    public var hexString: String {
        let digits = Array("0123456789ABCDEF".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 3)
        for (index, byte) in bytes.enumerated() {
            if index > 0 { text.append(UInt8(ascii: ":")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The SDP attribute value: `sha-256 AB:CD:…`.
    public var sdpValue: String { "\(algorithm.rawValue) \(hexString)" }

    public var description: String { sdpValue }

    public static func == (lhs: DTLSFingerprint, rhs: DTLSFingerprint) -> Bool {
        guard lhs.algorithm == rhs.algorithm, lhs.bytes.count == rhs.bytes.count else { return false }
        return CRYPTO_memcmp(lhs.bytes, rhs.bytes, lhs.bytes.count) == 0
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(algorithm)
        hasher.combine(bytes)
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

/// The DER encoding of an OpenSSL `X509`.
func derEncoding(of x509: OpaquePointer) throws(DTLSError) -> [UInt8] {
    let length = i2d_X509(x509, nil)
    guard length > 0 else { throw DTLSError.openSSL(.certificate, "i2d_X509") }
    var der = [UInt8](repeating: 0, count: Int(length))
    let written = der.withUnsafeMutableBufferPointer { buffer in
        var cursor = buffer.baseAddress
        return i2d_X509(x509, &cursor)
    }
    guard written == length else { throw DTLSError.openSSL(.certificate, "i2d_X509") }
    return der
}
