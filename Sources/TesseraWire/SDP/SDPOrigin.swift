/// The `o=` line (RFC 8866 §5.2): `<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>`.
public struct SDPOrigin: Sendable, Hashable {
    public var username: String
    public var sessionID: UInt64
    public var sessionVersion: UInt64
    public var networkType: String
    public var addressType: String
    public var address: String

    public init(username: String = "-", sessionID: UInt64, sessionVersion: UInt64, networkType: String = "IN",
                addressType: String = "IP4", address: String = "127.0.0.1") {
        self.username = username
        self.sessionID = sessionID
        self.sessionVersion = sessionVersion
        self.networkType = networkType
        self.addressType = addressType
        self.address = address
    }

    init(parsing value: Substring) throws(WireError) {
        let fields = SDPText.tokens(value)
        guard fields.count == 6 else { throw WireError(.malformed, "o=: expected 6 fields") }
        self.init(username: String(fields[0]),
                  sessionID: try SDPText.number(fields[1], "o= sess-id"),
                  sessionVersion: try SDPText.number(fields[2], "o= sess-version"),
                  networkType: String(fields[3]), addressType: String(fields[4]), address: String(fields[5]))
    }

    var value: String { "\(username) \(sessionID) \(sessionVersion) \(networkType) \(addressType) \(address)" }
}
