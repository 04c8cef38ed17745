/// One STUN attribute (RFC 8489 §14, RFC 8445 §16.1). Types this module does not decode
/// are kept raw in `.unknown` so a message can be inspected and re-sent unchanged.
public enum STUNAttribute: Sendable, Hashable {
    /// USERNAME (§14.3): UTF-8, fewer than 513 bytes. ICE uses "remoteUfrag:localUfrag".
    case username(String)
    /// MESSAGE-INTEGRITY (§14.5): the 20-byte HMAC-SHA1 as found on the wire.
    case messageIntegrity([UInt8])
    /// ERROR-CODE (§14.8).
    case errorCode(STUNErrorCode)
    /// XOR-MAPPED-ADDRESS (§14.2), already un-xored.
    case xorMappedAddress(STUNTransportAddress)
    /// PRIORITY (RFC 8445 §7.1.1).
    case priority(UInt32)
    /// USE-CANDIDATE (RFC 8445 §7.1.2): no value.
    case useCandidate
    /// SOFTWARE (§14.14): UTF-8 description of the agent.
    case software(String)
    /// FINGERPRINT (§14.7): the CRC-32 xor 0x5354554E as found on the wire.
    case fingerprint(UInt32)
    /// ICE-CONTROLLED (RFC 8445 §7.1.3): the tie-breaker.
    case iceControlled(UInt64)
    /// ICE-CONTROLLING (RFC 8445 §7.1.3): the tie-breaker.
    case iceControlling(UInt64)
    /// Any other attribute, value without padding.
    case unknown(type: STUNAttributeType, value: [UInt8])

    /// Longest USERNAME and SOFTWARE value in bytes (RFC 8489 §14.3, §14.14: < 513 and ≤ 763).
    static let maxUsernameBytes = 512
    static let maxSoftwareBytes = 763

    public var type: STUNAttributeType {
        switch self {
        case .username: .username
        case .messageIntegrity: .messageIntegrity
        case .errorCode: .errorCode
        case .xorMappedAddress: .xorMappedAddress
        case .priority: .priority
        case .useCandidate: .useCandidate
        case .software: .software
        case .fingerprint: .fingerprint
        case .iceControlled: .iceControlled
        case .iceControlling: .iceControlling
        case .unknown(let type, _): type
        }
    }

    /// Decodes one attribute from its value bytes (`value` spans exactly the declared length).
    static func parse(
        type: STUNAttributeType, value: ByteReader, transactionID: STUNTransactionID
    ) throws(WireError) -> STUNAttribute {
        var reader = value
        let length = reader.remaining
        switch type {
        case .username:
            return .username(try utf8(&reader, max: maxUsernameBytes, "USERNAME"))
        case .software:
            return .software(try utf8(&reader, max: maxSoftwareBytes, "SOFTWARE"))
        case .messageIntegrity:
            guard length == 20 else { throw WireError(.malformed, "MESSAGE-INTEGRITY length \(length)") }
            return .messageIntegrity(Array(try reader.bytes(20, "MESSAGE-INTEGRITY")))
        case .fingerprint:
            guard length == 4 else { throw WireError(.malformed, "FINGERPRINT length \(length)") }
            return .fingerprint(try reader.u32("FINGERPRINT"))
        case .errorCode:
            return .errorCode(try STUNErrorCode(value: reader))
        case .xorMappedAddress:
            return .xorMappedAddress(try STUNTransportAddress(xorValue: reader, transactionID: transactionID))
        case .priority:
            guard length == 4 else { throw WireError(.malformed, "PRIORITY length \(length)") }
            return .priority(try reader.u32("PRIORITY"))
        case .useCandidate:
            guard length == 0 else { throw WireError(.malformed, "USE-CANDIDATE length \(length)") }
            return .useCandidate
        case .iceControlled:
            guard length == 8 else { throw WireError(.malformed, "ICE-CONTROLLED length \(length)") }
            return .iceControlled(try reader.u64("ICE-CONTROLLED"))
        case .iceControlling:
            guard length == 8 else { throw WireError(.malformed, "ICE-CONTROLLING length \(length)") }
            return .iceControlling(try reader.u64("ICE-CONTROLLING"))
        default:
            return .unknown(type: type, value: Array(try reader.bytes(length, "STUN attribute")))
        }
    }

    private static func utf8(_ reader: inout ByteReader, max: Int, _ context: String) throws(WireError) -> String {
        guard reader.remaining <= max else { throw WireError(.tooLarge, context) }
        guard let text = String(validating: try reader.bytes(reader.remaining, context), as: UTF8.self) else {
            throw WireError(.malformed, "\(context): invalid UTF-8")
        }
        return text
    }

    /// Writes type, length, value and zero padding to a multiple of 4 (§14).
    func write(into writer: inout ByteWriter, transactionID: STUNTransactionID) {
        writer.u16(type.rawValue)
        let lengthIndex = writer.count
        writer.u16(0)
        let valueStart = writer.count
        switch self {
        case .username(let text): writer.append(contentsOf: text.utf8.prefix(Self.maxUsernameBytes))
        case .software(let text): writer.append(contentsOf: text.utf8.prefix(Self.maxSoftwareBytes))
        case .messageIntegrity(let mac): writer.append(contentsOf: mac)
        case .fingerprint(let value): writer.u32(value)
        case .errorCode(let error): error.writeValue(into: &writer)
        case .xorMappedAddress(let address): address.writeXorValue(into: &writer, transactionID: transactionID)
        case .priority(let value): writer.u32(value)
        case .useCandidate: break
        case .iceControlled(let value), .iceControlling(let value): writer.u64(value)
        case .unknown(_, let value): writer.append(contentsOf: value.prefix(Int(UInt16.max)))
        }
        let length = writer.count - valueStart
        writer.set16(UInt16(length), at: lengthIndex)
        writer.zeros((4 - length % 4) % 4)
    }
}
