/// `a=extmap:<id>[/<direction>] <uri> [<attributes>]` (RFC 8285 §8): an RTP header extension
/// and its local identifier.
public struct SDPExtmap: Sendable, Hashable {
    /// 1-14 (one-byte form) or 1-255 (two-byte form), RFC 8285 §5; 4096-4351 only in offers.
    public var id: UInt16
    public var direction: SDPDirection?
    public var uri: String
    public var extensionAttributes: String?

    public init(id: UInt16, direction: SDPDirection? = nil, uri: String, extensionAttributes: String? = nil) {
        self.id = id
        self.direction = direction
        self.uri = uri
        self.extensionAttributes = extensionAttributes
    }

    init(parsing value: Substring) throws(WireError) {
        let (head, rest) = SDPText.splitFirstSpace(value)
        guard let rest else { throw WireError(.malformed, "extmap: expected '<id> <uri>'") }
        let (idText, directionText) = SDPText.splitFirst(head, "/")
        let id: UInt16 = try SDPText.number(idText, "extmap id")
        guard (1...255).contains(id) || (4096...4351).contains(id) else {
            throw WireError(.malformed, "extmap: id \(id) out of range")
        }
        var direction: SDPDirection?
        if let directionText {
            guard let parsed = SDPDirection(rawValue: String(directionText)) else {
                throw WireError(.malformed, "extmap: direction '\(directionText.prefix(16))'")
            }
            direction = parsed
        }
        let (uri, attributes) = SDPText.splitFirstSpace(rest)
        self.init(id: id, direction: direction, uri: String(uri), extensionAttributes: attributes.map(String.init))
    }

    var value: String {
        "\(id)" + (direction.map { "/\($0.rawValue)" } ?? "") + " \(uri)" + (extensionAttributes.map { " \($0)" } ?? "")
    }
}
