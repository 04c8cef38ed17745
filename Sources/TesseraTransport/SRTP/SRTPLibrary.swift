import CSRTP

/// Owns libsrtp's process-wide state: `srtp_init` runs once, and every status is checked
/// here. Anything else in the process that uses libsrtp calls `initialize()` first instead
/// of `srtp_init`, because libsrtp's init is not safe to run twice at the same moment.
public enum SRTPLibrary {
    /// The result of the one `srtp_init()` call; a `static let` is initialised exactly once,
    /// thread-safely, on first use. libsrtp is never shut down: sessions may live until exit.
    private static let initStatus: Int32 = Int32(bitPattern: srtp_init().rawValue)

    /// Makes sure libsrtp is initialised; throws if `srtp_init` failed.
    public static func initialize() throws(SRTPError) {
        try check(srtp_err_status_t(rawValue: UInt32(bitPattern: initStatus)), "srtp_init")
    }

    /// Turns a libsrtp status into nothing (ok) or the matching `SRTPError`.
    static func check(_ status: srtp_err_status_t, _ context: String) throws(SRTPError) {
        switch status {
        case srtp_err_status_ok:
            return
        case srtp_err_status_auth_fail:
            throw SRTPError(.authenticationFailed, context)
        case srtp_err_status_replay_fail, srtp_err_status_replay_old:
            throw SRTPError(.replay, context)
        case srtp_err_status_bad_param, srtp_err_status_parse_err, srtp_err_status_bad_mki:
            throw SRTPError(.badInput, context)
        default:
            throw SRTPError(.libraryFailure(code: Int32(bitPattern: status.rawValue)), context)
        }
    }
}
