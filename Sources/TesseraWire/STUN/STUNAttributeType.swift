/// A STUN attribute type (RFC 8489 §18.3). Types below 0x8000 are comprehension-required:
/// a receiver that does not know one must reject the request with 420 (RFC 8489 §6.3.1.1).
public struct STUNAttributeType: RawRepresentable, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// True for 0x0000-0x7FFF.
    public var isComprehensionRequired: Bool { rawValue < 0x8000 }

    /// RFC 8489 §14.3.
    public static let username = STUNAttributeType(rawValue: 0x0006)
    /// RFC 8489 §14.5.
    public static let messageIntegrity = STUNAttributeType(rawValue: 0x0008)
    /// RFC 8489 §14.8.
    public static let errorCode = STUNAttributeType(rawValue: 0x0009)
    /// RFC 8489 §14.9.
    public static let unknownAttributes = STUNAttributeType(rawValue: 0x000A)
    /// RFC 8489 §14.2.
    public static let xorMappedAddress = STUNAttributeType(rawValue: 0x0020)
    /// RFC 8445 §16.1.
    public static let priority = STUNAttributeType(rawValue: 0x0024)
    /// RFC 8445 §16.1.
    public static let useCandidate = STUNAttributeType(rawValue: 0x0025)
    /// RFC 8489 §14.14.
    public static let software = STUNAttributeType(rawValue: 0x8022)
    /// RFC 8489 §14.7.
    public static let fingerprint = STUNAttributeType(rawValue: 0x8028)
    /// RFC 8445 §16.1.
    public static let iceControlled = STUNAttributeType(rawValue: 0x8029)
    /// RFC 8445 §16.1.
    public static let iceControlling = STUNAttributeType(rawValue: 0x802A)
}
