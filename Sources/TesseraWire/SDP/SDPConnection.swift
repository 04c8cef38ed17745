/// The `c=` line (RFC 8866 §5.7): `<nettype> <addrtype> <connection-address>`.
public struct SDPConnection: Sendable, Hashable {
    public var networkType: String
    public var addressType: String
    /// The address as written, including any `/ttl` or `/count` suffix.
    public var address: String

    public init(networkType: String = "IN", addressType: String = "IP4", address: String) {
        self.networkType = networkType
        self.addressType = addressType
        self.address = address
    }

    init(parsing value: Substring) throws(WireError) {
        let fields = SDPText.tokens(value)
        guard fields.count == 3 else { throw WireError(.malformed, "c=: expected 3 fields") }
        self.init(networkType: String(fields[0]), addressType: String(fields[1]), address: String(fields[2]))
    }

    var value: String { "\(networkType) \(addressType) \(address)" }
}
