/// An IP address and port, as decoded from XOR-MAPPED-ADDRESS (RFC 8489 §14.2).
public struct STUNTransportAddress: Sendable, Hashable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16

    public init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// "192.0.2.1:32853" or "[2001:db8::1]:32853".
    public var description: String {
        switch address {
        case .v4: return "\(address):\(port)"
        case .v6: return "[\(address)]:\(port)"
        }
    }

    /// Family codes of the address attributes (RFC 8489 §14.1).
    static let familyV4: UInt8 = 0x01
    static let familyV6: UInt8 = 0x02

    /// Decodes an XOR-MAPPED-ADDRESS value: the port is xored with the top 16 bits of the
    /// magic cookie, the address with the cookie (IPv4) or cookie ‖ transaction ID (IPv6).
    init(xorValue value: ByteReader, transactionID: STUNTransactionID) throws(WireError) {
        var reader = value
        let length = reader.remaining
        _ = try reader.u8("XOR-MAPPED-ADDRESS reserved")
        let family = try reader.u8("XOR-MAPPED-ADDRESS family")
        let port = try reader.u16("XOR-MAPPED-ADDRESS port") ^ UInt16(STUNMessage.magicCookie >> 16)
        switch family {
        case Self.familyV4:
            guard length == 8 else { throw WireError(.malformed, "XOR-MAPPED-ADDRESS: IPv4 length \(length)") }
            let address = try reader.u32("XOR-MAPPED-ADDRESS IPv4") ^ STUNMessage.magicCookie
            self.init(address: .v4(address), port: port)
        case Self.familyV6:
            guard length == 20 else { throw WireError(.malformed, "XOR-MAPPED-ADDRESS: IPv6 length \(length)") }
            let high = try reader.u64("XOR-MAPPED-ADDRESS IPv6") ^ Self.v6HighMask(transactionID)
            let low = try reader.u64("XOR-MAPPED-ADDRESS IPv6") ^ transactionID.low
            self.init(address: .v6(high: high, low: low), port: port)
        default:
            throw WireError(.malformed, "XOR-MAPPED-ADDRESS: family \(family)")
        }
    }

    /// Writes the XOR-MAPPED-ADDRESS value (8 or 20 bytes).
    func writeXorValue(into writer: inout ByteWriter, transactionID: STUNTransactionID) {
        writer.u8(0)
        switch address {
        case .v4(let value):
            writer.u8(Self.familyV4)
            writer.u16(port ^ UInt16(STUNMessage.magicCookie >> 16))
            writer.u32(value ^ STUNMessage.magicCookie)
        case .v6(let high, let low):
            writer.u8(Self.familyV6)
            writer.u16(port ^ UInt16(STUNMessage.magicCookie >> 16))
            writer.u64(high ^ Self.v6HighMask(transactionID))
            writer.u64(low ^ transactionID.low)
        }
    }

    private static func v6HighMask(_ transactionID: STUNTransactionID) -> UInt64 {
        UInt64(STUNMessage.magicCookie) << 32 | UInt64(transactionID.high)
    }
}
