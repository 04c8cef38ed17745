/// The common RTCP header (RFC 3550 §6.4.1):
///
/// ```
/// |V=2|P|  count  |      PT       |            length             |
/// ```
/// `count` is RC, SC or FMT depending on the packet type; `length` is the packet size in
/// 32-bit words minus one, header and padding included.
public struct RTCPHeader: Sendable, Equatable {
    public static let size = 4

    public var padding: Bool
    /// 5-bit report count, source count or feedback message type (FMT).
    public var count: UInt8
    public var packetType: UInt8
    /// Size in 32-bit words minus one.
    public var length: UInt16

    public init(padding: Bool = false, count: UInt8, packetType: UInt8, length: UInt16) {
        self.padding = padding
        self.count = count
        self.packetType = packetType
        self.length = length
    }

    /// Reads 4 bytes; throws `.malformed` unless the version is 2.
    public init(reading reader: inout ByteReader) throws(WireError) {
        let first = try reader.u8("RTCP header")
        guard first >> 6 == 2 else { throw WireError(.malformed, "RTCP version \(first >> 6)") }
        padding = first & 0x20 != 0
        count = first & 0x1F
        packetType = try reader.u8("RTCP header")
        length = try reader.u16("RTCP header")
    }

    /// Whole packet size in bytes, from the length field.
    public var packetSize: Int { (Int(length) + 1) * 4 }
}

/// Known RTCP packet types (RFC 3550 §12.1, RFC 4585 §6.1, RFC 3611).
public enum RTCPPacketType: UInt8, Sendable {
    case senderReport = 200
    case receiverReport = 201
    case sourceDescription = 202
    case goodbye = 203
    case applicationDefined = 204
    /// Transport-layer feedback (RFC 4585 §6.2).
    case transportFeedback = 205
    /// Payload-specific feedback (RFC 4585 §6.3).
    case payloadSpecificFeedback = 206
    case extendedReport = 207
}

extension ByteWriter {
    /// Writes an RTCP header with a placeholder length; returns where the packet starts.
    mutating func beginRTCP(_ packetType: RTCPPacketType, count countOrFormat: UInt8) -> Int {
        let start = count
        u8(0x80 | (countOrFormat & 0x1F))
        u8(packetType.rawValue)
        u16(0)
        return start
    }

    /// Zero-pads the packet begun at `start` to 32 bits and fills in its length field.
    mutating func endRTCP(startingAt start: Int) {
        padToWordBoundary(from: start)
        set16(UInt16(truncatingIfNeeded: (count - start) / 4 - 1), at: start + 2)
    }
}
