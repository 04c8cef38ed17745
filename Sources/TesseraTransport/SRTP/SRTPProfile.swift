/// An SRTP protection profile negotiated by the DTLS `use_srtp` extension (RFC 5764 §4.1.2).
///
/// The raw value is the two-byte profile identifier from the IANA "DTLS-SRTP Protection
/// Profiles" registry.
public enum SRTPProfile: UInt16, Sendable, CaseIterable, CustomStringConvertible {
    /// `SRTP_AES128_CM_HMAC_SHA1_80` (RFC 5764 §4.1.2): AES-128 counter mode, 80-bit HMAC-SHA1 tag.
    case aes128CmHmacSha1_80 = 0x0001
    /// `SRTP_AEAD_AES_128_GCM` (RFC 7714 §14.2): AES-128-GCM with a 16-byte tag.
    case aeadAes128Gcm = 0x0007

    /// The profile for an identifier from the `use_srtp` extension, or nil if we do not offer it.
    public init?(protectionProfileID: UInt16) {
        self.init(rawValue: protectionProfileID)
    }

    /// The identifier carried in the `use_srtp` extension.
    public var protectionProfileID: UInt16 { rawValue }

    /// Master key length in bytes.
    public var masterKeyLength: Int { 16 }

    /// Master salt length in bytes: 112 bits for AES-CM (RFC 3711 §8.2), 96 bits for GCM (RFC 7714 §12).
    public var masterSaltLength: Int {
        switch self {
        case .aes128CmHmacSha1_80: 14
        case .aeadAes128Gcm: 12
        }
    }

    /// Authentication tag length in bytes, appended to every SRTP and SRTCP packet.
    public var authTagLength: Int {
        switch self {
        case .aes128CmHmacSha1_80: 10
        case .aeadAes128Gcm: 16
        }
    }

    /// Session authentication key length in bytes (RFC 3711 §8.2: 160 bits for HMAC-SHA1); GCM has none.
    public var sessionAuthKeyLength: Int {
        switch self {
        case .aes128CmHmacSha1_80: 20
        case .aeadAes128Gcm: 0
        }
    }

    /// Bytes to export from DTLS for this profile (RFC 5764 §4.2): two keys and two salts.
    public var keyingMaterialLength: Int { 2 * (masterKeyLength + masterSaltLength) }

    /// The profile name as registered by IANA, for logs.
    public var description: String {
        switch self {
        case .aes128CmHmacSha1_80: "SRTP_AES128_CM_HMAC_SHA1_80"
        case .aeadAes128Gcm: "SRTP_AEAD_AES_128_GCM"
        }
    }
}
