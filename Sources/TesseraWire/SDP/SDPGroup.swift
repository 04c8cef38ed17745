/// `a=group:<semantics> <mid>…` (RFC 5888 §5); `BUNDLE` (RFC 8843 §7) puts the listed
/// sections on one transport, the first mid being the offerer's tagged section.
public struct SDPGroup: Sendable, Hashable {
    public var semantics: String
    public var mids: [String]

    public init(semantics: String, mids: [String]) {
        self.semantics = semantics
        self.mids = mids
    }

    public var isBundle: Bool { semantics == "BUNDLE" }

    init(parsing value: Substring) throws(WireError) {
        let fields = SDPText.tokens(value)
        guard let semantics = fields.first else { throw WireError(.malformed, "group: missing semantics") }
        self.init(semantics: String(semantics), mids: fields.dropFirst().map(String.init))
    }

    var value: String { ([semantics] + mids).joined(separator: " ") }
}
