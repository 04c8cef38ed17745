/// The 96-bit STUN transaction ID (RFC 8489 §5, §6.3.1).
public struct STUNTransactionID: Sendable, Hashable, CustomStringConvertible {
    /// The first 32 bits.
    public var high: UInt32
    /// The last 64 bits.
    public var low: UInt64

    public init(high: UInt32, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Builds an ID from exactly 12 bytes.
    public init<C: Collection>(bytes: C) throws(WireError) where C.Element == UInt8 {
        guard bytes.count == 12 else { throw WireError(.malformed, "STUN transaction ID: need 12 bytes") }
        var high: UInt32 = 0
        var low: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            if index < 4 { high = high << 8 | UInt32(byte) } else { low = low << 8 | UInt64(byte) }
        }
        self.init(high: high, low: low)
    }

    /// A fresh ID from the system's cryptographically secure generator (RFC 8489 §6: "uniformly
    /// and randomly chosen").
    public static func random() -> STUNTransactionID {
        var generator = SystemRandomNumberGenerator()
        return STUNTransactionID(high: generator.next(), low: generator.next())
    }

    /// The 12 bytes, big-endian.
    public var bytes: [UInt8] {
        var writer = ByteWriter(reservingCapacity: 12)
        writer.u32(high)
        writer.u64(low)
        return writer.bytes
    }

    public var description: String {
        bytes.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
