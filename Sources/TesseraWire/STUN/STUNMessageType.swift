/// The class of a STUN message (RFC 8489 §5, RFC 5389 §6).
public enum STUNMessageClass: UInt8, Sendable, Hashable {
    case request = 0b00
    case indication = 0b01
    case successResponse = 0b10
    case errorResponse = 0b11
}

/// A STUN method: 12 bits (RFC 8489 §18.2). Binding is the only method ICE uses.
public struct STUNMethod: RawRepresentable, Sendable, Hashable {
    public let rawValue: UInt16
    /// Builds a method from its 12-bit value; higher bits are dropped.
    public init(rawValue: UInt16) { self.rawValue = rawValue & 0x0FFF }

    public static let binding = STUNMethod(rawValue: 0x001)
}

/// The 14-bit STUN message type: method bits interleaved with the two class bits
/// (RFC 8489 §5, figure 3: M11..M7 C1 M6..M4 C0 M3..M0).
public struct STUNMessageType: Sendable, Hashable, CustomStringConvertible {
    public var method: STUNMethod
    public var messageClass: STUNMessageClass

    public init(method: STUNMethod, messageClass: STUNMessageClass) {
        self.method = method
        self.messageClass = messageClass
    }

    /// Decodes the 16-bit type field; the two most significant bits must be zero.
    public init(rawValue: UInt16) throws(WireError) {
        guard rawValue & 0xC000 == 0 else { throw WireError(.malformed, "STUN message type: top bits set") }
        let m = rawValue & 0x000F | (rawValue & 0x00E0) >> 1 | (rawValue & 0x3E00) >> 2
        let c = (rawValue & 0x0010) >> 4 | (rawValue & 0x0100) >> 7
        self.method = STUNMethod(rawValue: m)
        self.messageClass = STUNMessageClass(rawValue: UInt8(c)) ?? .request
    }

    /// The 16-bit type field.
    public var rawValue: UInt16 {
        let m = method.rawValue
        let c = UInt16(messageClass.rawValue)
        return m & 0x000F | (m & 0x0070) << 1 | (m & 0x0F80) << 2 | (c & 0b01) << 4 | (c & 0b10) << 7
    }

    public var description: String { "STUN(method: \(method.rawValue), \(messageClass))" }

    public static let bindingRequest = STUNMessageType(method: .binding, messageClass: .request)
    public static let bindingIndication = STUNMessageType(method: .binding, messageClass: .indication)
    public static let bindingSuccessResponse = STUNMessageType(method: .binding, messageClass: .successResponse)
    public static let bindingErrorResponse = STUNMessageType(method: .binding, messageClass: .errorResponse)
}
