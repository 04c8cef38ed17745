/// The SRTP protection profiles negotiated by the DTLS `use_srtp` extension (RFC 5764 §4.1.2,
/// RFC 7714 §14.2), with the master key and salt lengths that size the exported keying material.
public enum DTLSSRTPProfile: UInt16, Sendable, Hashable, CaseIterable {
    /// `SRTP_AES128_CM_HMAC_SHA1_80` (RFC 5764 §4.1.2).
    case aes128CMSHA1_80 = 0x0001
    /// `SRTP_AEAD_AES_128_GCM` (RFC 7714 §14.2).
    case aeadAES128GCM = 0x0007

    /// What Tessera offers and prefers, as Chrome does: GCM first, then the mandatory CM/SHA1-80.
    public static let webRTCDefault: [DTLSSRTPProfile] = [.aeadAES128GCM, .aes128CMSHA1_80]

    public var masterKeyLength: Int { 16 }

    public var masterSaltLength: Int {
        switch self {
        case .aes128CMSHA1_80: 14
        case .aeadAES128GCM: 12
        }
    }

    /// Both directions' key and salt (RFC 5764 §4.2): 60 bytes for CM/SHA1-80, 56 for GCM.
    public var keyingMaterialLength: Int { 2 * (masterKeyLength + masterSaltLength) }

    /// The name `SSL_CTX_set_tlsext_use_srtp` expects.
    var openSSLName: String {
        switch self {
        case .aes128CMSHA1_80: "SRTP_AES128_CM_SHA1_80"
        case .aeadAES128GCM: "SRTP_AEAD_AES_128_GCM"
        }
    }
}
