/// `a=fingerprint:<hash function> <hex bytes>` (RFC 8122 §5), the DTLS certificate hash,
/// e.g. `sha-256 AB:CD:…` (32 bytes).
public struct SDPFingerprint: Sendable, Hashable {
    /// Lowercased hash function name (`sha-256`); the name is case-insensitive.
    public var hashFunction: String
    public var bytes: [UInt8]

    /// Longest digest accepted (SHA-512).
    static let maxBytes = 64

    public init(hashFunction: String, bytes: [UInt8]) {
        self.hashFunction = hashFunction.lowercased()
        self.bytes = bytes
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
