/// The ERROR-CODE attribute value (RFC 8489 §14.8): a code 300-699 and a UTF-8 reason phrase.
public struct STUNErrorCode: Sendable, Hashable {
    public var code: UInt16
    public var reason: String

    public init(code: UInt16, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// Longest reason phrase in bytes (RFC 8489 §14.8: fewer than 128 characters, ≤ 763 bytes).
    static let maxReasonBytes = 763

    init(value: ByteReader) throws(WireError) {
        var reader = value
        _ = try reader.u16("ERROR-CODE reserved")
        let errorClass = try reader.u8("ERROR-CODE class") & 0x07
        let number = try reader.u8("ERROR-CODE number")
        guard (3...6).contains(errorClass), number < 100 else {
            throw WireError(.malformed, "ERROR-CODE: class \(errorClass) number \(number)")
        }
        guard reader.remaining <= Self.maxReasonBytes else { throw WireError(.tooLarge, "ERROR-CODE reason") }
        guard let reason = String(validating: try reader.bytes(reader.remaining, "ERROR-CODE reason"), as: UTF8.self) else {
            throw WireError(.malformed, "ERROR-CODE reason: invalid UTF-8")
        }
        self.init(code: UInt16(errorClass) * 100 + UInt16(number), reason: reason)
    }

    func writeValue(into writer: inout ByteWriter) {
        writer.u16(0)
        writer.u8(UInt8(truncatingIfNeeded: code / 100) & 0x07)
        writer.u8(UInt8(truncatingIfNeeded: code % 100))
        writer.append(contentsOf: reason.utf8.prefix(Self.maxReasonBytes))
    }

    public static let badRequest = STUNErrorCode(code: 400, reason: "Bad Request")
    public static let unauthorized = STUNErrorCode(code: 401, reason: "Unauthorized")
    public static let unknownAttribute = STUNErrorCode(code: 420, reason: "Unknown Attribute")
    /// RFC 8445 §7.3.1.1.
    public static let roleConflict = STUNErrorCode(code: 487, reason: "Role Conflict")
    public static let serverError = STUNErrorCode(code: 500, reason: "Server Error")
}
