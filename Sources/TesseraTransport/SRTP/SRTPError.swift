/// The one error type of the SRTP wrapper: what libsrtp (or our own bounds check) refused.
///
/// Built only from string literals, so throwing it on the packet path does not allocate;
/// the transport drops the packet and counts `kind`.
public struct SRTPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Why the operation failed.
    public enum Kind: Equatable, Sendable, CustomStringConvertible {
        /// The authentication tag did not verify (tampered packet, wrong keys).
        case authenticationFailed
        /// The packet index was already seen or is older than the replay window (RFC 3711 §3.3.2).
        case replay
        /// Too short, too long, malformed, or keys of the wrong length.
        case badInput
        /// Any other libsrtp status, with its `srtp_err_status_t` code.
        case libraryFailure(code: Int32)

        public var description: String {
            switch self {
            case .authenticationFailed: "authentication failed"
            case .replay: "replayed packet"
            case .badInput: "bad input"
            case .libraryFailure(let code): "libsrtp \(SRTPError.statusName(code)) (\(code))"
            }
        }
    }

    public let kind: Kind
    /// What was being done, e.g. "unprotect RTP".
    public let context: String

    public init(_ kind: Kind, _ context: String) {
        self.kind = kind
        self.context = context
    }

    public var description: String { "\(context): \(kind)" }

    /// The name of a libsrtp 2.x `srtp_err_status_t` value, for messages.
    static func statusName(_ code: Int32) -> String {
        switch code {
        case 0: "ok"
        case 1: "fail"
        case 2: "bad_param"
        case 3: "alloc_fail"
        case 4: "dealloc_fail"
        case 5: "init_fail"
        case 6: "terminus"
        case 7: "auth_fail"
        case 8: "cipher_fail"
        case 9: "replay_fail"
        case 10: "replay_old"
        case 11: "algo_fail"
        case 12: "no_such_op"
        case 13: "no_ctx"
        case 14: "cant_check"
        case 15: "key_expired"
        case 16: "socket_err"
        case 17: "signal_err"
        case 18: "nonce_bad"
        case 19: "read_fail"
        case 20: "write_fail"
        case 21: "parse_err"
        case 22: "encode_err"
        case 23: "semaphore_err"
        case 24: "pfkey_err"
        case 25: "bad_mki"
        case 26: "pkt_idx_old"
        case 27: "pkt_idx_adv"
        default: "unknown status"
        }
    }
}
