/// `a=ssrc:<ssrc> <attribute>[:<value>]` (RFC 5576 §4.1), e.g. `1234 cname:abc`.
public struct SDPSSRCAttribute: Sendable, Hashable {
    public var ssrc: UInt32
    public var name: String
    public var value: String?

    public init(ssrc: UInt32, name: String, value: String? = nil) {
        self.ssrc = ssrc
        self.name = name
        self.value = value
    }

    init(parsing text: Substring) throws(WireError) {
        let (ssrc, rest) = SDPText.splitFirstSpace(text)
        guard let rest else { throw WireError(.malformed, "ssrc: expected '<ssrc> <attribute>'") }
        let (name, value) = SDPText.splitFirst(rest, ":")
        guard !name.isEmpty else { throw WireError(.malformed, "ssrc: empty attribute name") }
        self.init(ssrc: try SDPText.number(ssrc, "ssrc"), name: String(name), value: value.map(String.init))
    }

    var text: String { "\(ssrc) \(name)" + (value.map { ":\($0)" } ?? "") }
}
