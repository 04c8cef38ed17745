/// The `b=` line (RFC 8866 §5.8): `<bwtype>:<bandwidth>`, e.g. `AS:2500` (kbit/s) or `TIAS:64000` (bit/s).
public struct SDPBandwidth: Sendable, Hashable {
    public var type: String
    public var value: UInt32

    public init(type: String, value: UInt32) {
        self.type = type
        self.value = value
    }

    init(parsing text: Substring) throws(WireError) {
        let (type, value) = SDPText.splitFirst(text, ":")
        guard let value, !type.isEmpty else { throw WireError(.malformed, "b=: expected <type>:<value>") }
        self.init(type: String(type), value: try SDPText.number(value, "b= bandwidth"))
    }

    var text: String { "\(type):\(value)" }
}
