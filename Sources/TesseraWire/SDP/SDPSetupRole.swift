/// `a=setup` (RFC 4145 §4, RFC 8842 §5.1): which side opens the DTLS association.
public enum SDPSetupRole: String, Sendable, Hashable, CaseIterable {
    case active
    case passive
    case actpass
    case holdconn
}
