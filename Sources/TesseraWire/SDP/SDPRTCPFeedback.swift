/// `a=rtcp-fb:<pt or *> <type> [<parameter>]` (RFC 4585 §4.2), e.g. `96 nack pli`, `* transport-cc`.
public struct SDPRTCPFeedback: Sendable, Hashable {
    /// nil for the wildcard `*` (applies to every payload type of the section).
    public var payloadType: UInt8?
    /// `nack`, `ccm`, `goog-remb`, `transport-cc`, …
    public var type: String
    /// `pli`, `fir`, … (the rest of the line).
    public var parameter: String?

    public init(payloadType: UInt8?, type: String, parameter: String? = nil) {
        self.payloadType = payloadType
        self.type = type
        self.parameter = parameter
    }

    init(parsing value: Substring) throws(WireError) {
        let (pt, rest) = SDPText.splitFirstSpace(value)
        guard let rest else { throw WireError(.malformed, "rtcp-fb: expected '<pt> <type>'") }
        let (type, parameter) = SDPText.splitFirstSpace(rest)
        self.init(payloadType: pt == "*" ? nil : try SDPPayloadType.parse(pt, "rtcp-fb"),
                  type: String(type), parameter: parameter.map(String.init))
    }

    var value: String {
        (payloadType.map { "\($0)" } ?? "*") + " \(type)" + (parameter.map { " \($0)" } ?? "")
    }
}
