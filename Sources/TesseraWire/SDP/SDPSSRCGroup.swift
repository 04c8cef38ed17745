/// `a=ssrc-group:<semantics> <ssrc>…` (RFC 5576 §4.2), e.g. `FID 1234 5678` (RTX, RFC 4588).
public struct SDPSSRCGroup: Sendable, Hashable {
    public var semantics: String
    public var ssrcs: [UInt32]

    public init(semantics: String, ssrcs: [UInt32]) {
        self.semantics = semantics
        self.ssrcs = ssrcs
    }

    init(parsing value: Substring) throws(WireError) {
        let fields = SDPText.tokens(value)
        guard fields.count >= 2 else { throw WireError(.malformed, "ssrc-group: expected '<semantics> <ssrc>…'") }
        var ssrcs: [UInt32] = []
        for field in fields.dropFirst() { ssrcs.append(try SDPText.number(field, "ssrc-group ssrc")) }
        self.init(semantics: String(fields[0]), ssrcs: ssrcs)
    }

    var value: String { ([semantics] + ssrcs.map { "\($0)" }).joined(separator: " ") }
}
