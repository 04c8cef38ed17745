import COpenSSL
import CSRTP

/// Versions of the C libraries the transport links, for the start-up log and `tessera version`.
public enum CryptoLibraries {
    public static var versions: [String: String] {
        [
            "openssl": String(cString: OpenSSL_version(Int32(OPENSSL_VERSION))),
            "libsrtp": String(cString: srtp_get_version_string()),
        ]
    }
}
