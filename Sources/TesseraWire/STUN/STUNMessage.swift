/// A STUN message (RFC 8489 §5, RFC 5389 §6): a 20-byte header (type, length, magic cookie,
/// 96-bit transaction ID) followed by attributes padded to 4 bytes.
///
/// A parsed message keeps the bytes it came from, so MESSAGE-INTEGRITY and FINGERPRINT can be
/// checked against exactly what was received (padding bytes included).
public struct STUNMessage: Sendable, Equatable {
    /// The fixed magic cookie (RFC 8489 §5).
    public static let magicCookie: UInt32 = 0x2112_A442
    /// Header size in bytes.
    public static let headerSize = 20
    /// Most attributes accepted in one message; ICE messages carry fewer than ten.
    public static let maxAttributeCount = 64

    public var type: STUNMessageType
    public var transactionID: STUNTransactionID
    public var attributes: [STUNAttribute]

    /// The bytes this message was parsed from; empty for a message built in code.
    public private(set) var wireBytes: [UInt8] = []
    /// Offset in `wireBytes` of the MESSAGE-INTEGRITY attribute header.
    private var integrityOffset: Int?
    /// Offset in `wireBytes` of the FINGERPRINT attribute header.
    private var fingerprintOffset: Int?

    public init(type: STUNMessageType, transactionID: STUNTransactionID = .random(), attributes: [STUNAttribute] = []) {
        self.type = type
        self.transactionID = transactionID
        self.attributes = attributes
    }

    /// Messages are equal when type, transaction ID and attributes are; the source bytes are ignored.
    public static func == (lhs: STUNMessage, rhs: STUNMessage) -> Bool {
        lhs.type == rhs.type && lhs.transactionID == rhs.transactionID && lhs.attributes == rhs.attributes
    }

    /// A cheap check that a datagram is a STUN message (RFC 7983 §7 first byte 0-3, plus the
    /// magic cookie and a length that matches the datagram), done before any parsing.
    public static func looksLikeSTUN<C: RandomAccessCollection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        guard bytes.count >= headerSize else { return false }
        func byte(_ offset: Int) -> UInt8 { bytes[bytes.index(bytes.startIndex, offsetBy: offset)] }
        guard byte(0) & 0xC0 == 0 else { return false }
        let length = Int(byte(2)) << 8 | Int(byte(3))
        let cookie = UInt32(byte(4)) << 24 | UInt32(byte(5)) << 16 | UInt32(byte(6)) << 8 | UInt32(byte(7))
        return cookie == magicCookie && length % 4 == 0 && length + headerSize == bytes.count
    }

    /// Parses one whole datagram. Attributes after MESSAGE-INTEGRITY other than FINGERPRINT
    /// are ignored (RFC 8489 §14.5); anything after FINGERPRINT is refused (§14.7).
    public init(parsing bytes: [UInt8]) throws(WireError) {
        var reader = ByteReader(bytes)
        let type = try STUNMessageType(rawValue: try reader.u16("STUN header"))
        let length = Int(try reader.u16("STUN header"))
        guard try reader.u32("STUN header") == Self.magicCookie else { throw WireError(.malformed, "STUN magic cookie") }
        let transactionID = try STUNTransactionID(bytes: try reader.bytes(12, "STUN transaction ID"))
        guard length % 4 == 0 else { throw WireError(.malformed, "STUN length \(length) not a multiple of 4") }
        guard length <= reader.remaining else { throw WireError(.truncated, "STUN body") }
        guard length == reader.remaining else { throw WireError(.malformed, "STUN: bytes after the message") }

        self.init(type: type, transactionID: transactionID)
        wireBytes = bytes
        var seen = 0
        while !reader.isAtEnd {
            seen += 1
            guard seen <= Self.maxAttributeCount else { throw WireError(.tooLarge, "STUN attribute count") }
            let offset = reader.offset
            let attributeType = STUNAttributeType(rawValue: try reader.u16("STUN attribute header"))
            let valueLength = Int(try reader.u16("STUN attribute header"))
            let value = try reader.subReader(valueLength, "STUN attribute value")
            try reader.skip((4 - valueLength % 4) % 4, "STUN attribute padding")

            guard fingerprintOffset == nil else { throw WireError(.malformed, "STUN attribute after FINGERPRINT") }
            if integrityOffset != nil, attributeType != .fingerprint { continue }
            let attribute = try STUNAttribute.parse(type: attributeType, value: value, transactionID: transactionID)
            switch attributeType {
            case .messageIntegrity: integrityOffset = offset
            case .fingerprint: fingerprintOffset = offset
            default: break
            }
            attributes.append(attribute)
        }
    }

    /// The first attribute of `type`, if any.
    public func attribute(_ type: STUNAttributeType) -> STUNAttribute? {
        attributes.first { $0.type == type }
    }

    /// Comprehension-required attribute types this module does not decode; a server answers
    /// a request carrying any with 420 Unknown Attribute (RFC 8489 §6.3.1.1).
    public var unknownComprehensionRequiredTypes: [STUNAttributeType] {
        attributes.compactMap { attribute in
            if case .unknown(let type, _) = attribute, type.isComprehensionRequired { return type }
            return nil
        }
    }

    public var username: String? {
        for case .username(let value) in attributes { return value }
        return nil
    }

    public var software: String? {
        for case .software(let value) in attributes { return value }
        return nil
    }

    public var xorMappedAddress: STUNTransportAddress? {
        for case .xorMappedAddress(let value) in attributes { return value }
        return nil
    }

    public var priority: UInt32? {
        for case .priority(let value) in attributes { return value }
        return nil
    }

    public var useCandidate: Bool { attributes.contains(.useCandidate) }

    public var iceControlling: UInt64? {
        for case .iceControlling(let value) in attributes { return value }
        return nil
    }

    public var iceControlled: UInt64? {
        for case .iceControlled(let value) in attributes { return value }
        return nil
    }

    public var errorCode: STUNErrorCode? {
        for case .errorCode(let value) in attributes { return value }
        return nil
    }

    var integrityAttributeOffset: Int? { integrityOffset }
    var fingerprintAttributeOffset: Int? { fingerprintOffset }
}
