/// The `typ` of an ICE candidate (RFC 8839 §5.1, RFC 8445 §5.1.1). Unknown types are kept as
/// written, as the grammar allows any token.
public struct ICECandidateType: RawRepresentable, Sendable, Hashable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let host = ICECandidateType(rawValue: "host")
    public static let serverReflexive = ICECandidateType(rawValue: "srflx")
    public static let peerReflexive = ICECandidateType(rawValue: "prflx")
    public static let relayed = ICECandidateType(rawValue: "relay")
}
