/// `a=fingerprint:<hash function> <hex bytes>` (RFC 8122 §5), the DTLS certificate hash,
/// e.g. `sha-256 AB:CD:…` (32 bytes).
public struct SDPFingerprint: Sendable, Hashable {
    /// Hash function name (`sha-256`) with ASCII letters lowercased; the name is a
    /// case-insensitive token.
    public var hashFunction: String
    public var bytes: [UInt8]

    /// Longest digest accepted (SHA-512).
    static let maxBytes = 64

    public init(hashFunction: String, bytes: [UInt8]) {
        self.hashFunction = Self.asciiLowercased(hashFunction)
        self.bytes = bytes
    }

    /// Only ASCII letters are lowercased: full Unicode lowercasing can lengthen the UTF-8
    /// ("Ⱥ" → "ⱥ" is 2 → 3 bytes), and a parsed line must serialize within
    /// `SessionDescription.maxLineBytes` again (the sdp fuzz target checks this round trip).
    private static func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    init(parsing value: Substring) throws(WireError) {
        let fields = SDPText.tokens(value)
        guard fields.count == 2 else { throw WireError(.malformed, "fingerprint: expected '<hash> <hex>'") }
        let groups = SDPText.split(fields[1], ":", omittingEmpty: false)
        guard groups.count <= Self.maxBytes else { throw WireError(.tooLarge, "fingerprint: more than 64 bytes") }
        var bytes: [UInt8] = []
        for group in groups {
            guard group.utf8.count == 2, let byte = UInt8(group, radix: 16),
                  group.utf8.allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") }) else {
                throw WireError(.malformed, "fingerprint: '\(group.prefix(8))' is not a hex byte")
            }
            bytes.append(byte)
        }
        self.init(hashFunction: String(fields[0]), bytes: bytes)
    }

    /// Upper-case hex bytes separated by colons (RFC 8122 §5 `UHEX`).
    public var hexString: String {
        let digits = Array("0123456789ABCDEF")
        return bytes.map { String([digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]]) }.joined(separator: ":")
    }

    var value: String { "\(hashFunction) \(hexString)" }
}
