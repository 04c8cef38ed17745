/// An RTP data packet (RFC 3550 §5.1): header, payload and padding.
///
/// Parsing does not copy the payload: `buffer` shares the datagram's storage and
/// `payloadRange` locates the payload in it.
public struct RTPPacket: Sendable, Equatable {
    public var header: RTPHeader
    /// The storage `payloadRange` indexes (the datagram, for a parsed packet).
    public let buffer: [UInt8]
    /// Absolute range of the payload in `buffer`.
    public let payloadRange: Range<Int>
    /// Padding octets after the payload including the count octet (RFC 3550 §5.1 P bit);
    /// 0 means no padding.
    public var paddingLength: UInt8

    /// The payload, a view into `buffer`.
    public var payload: ArraySlice<UInt8> { buffer[payloadRange] }

    /// A packet to send: `payload` is referenced, not copied.
    public init(header: RTPHeader, payload: [UInt8], paddingLength: UInt8 = 0) {
        self.header = header
        self.buffer = payload
        self.payloadRange = payload.indices
        self.paddingLength = paddingLength
    }

    /// Parses a whole datagram. Throws `.malformed` for a version other than 2 or a
    /// padding count of zero or larger than the bytes after the header, `.truncated` when
    /// the CSRC list or extension overrun the datagram.
    public init(parsing bytes: [UInt8]) throws(WireError) {
        var reader = ByteReader(bytes)
        let (header, hasPadding) = try RTPHeader.read(from: &reader)
        let headerLength = reader.offset
        var payloadEnd = bytes.count
        var paddingLength: UInt8 = 0
        if hasPadding {
            guard payloadEnd > headerLength else { throw WireError(.truncated, "RTP padding count") }
            paddingLength = bytes[payloadEnd - 1]
            guard paddingLength > 0 else { throw WireError(.malformed, "RTP padding count zero") }
            guard Int(paddingLength) <= payloadEnd - headerLength else {
                throw WireError(.malformed, "RTP padding count overruns payload")
            }
            payloadEnd -= Int(paddingLength)
        }
        self.header = header
        self.buffer = bytes
        self.payloadRange = headerLength..<payloadEnd
        self.paddingLength = paddingLength
    }

    /// Bytes `serialize` appends.
    public var serializedLength: Int { header.serializedLength + payloadRange.count + Int(paddingLength) }

    /// Appends the packet to `buffer`: header, payload, then `paddingLength - 1` zero
    /// octets and the count octet.
    public func serialize(into buffer: inout [UInt8]) {
        ByteWriter.appending(to: &buffer) { writer in
            header.write(to: &writer, hasPadding: paddingLength > 0)
            writer.append(contentsOf: payload)
            if paddingLength > 0 {
                writer.zeros(Int(paddingLength) - 1)
                writer.u8(paddingLength)
            }
        }
    }

    /// Cheap demultiplexing test (RFC 5761 §4, RFC 7983): version 2, at least a fixed header,
    /// and a second octet whose low 7 bits are not 64...95 (those are RTCP packet types
    /// 192...223 when RTP and RTCP share a port).
    public static func looksLikeRTP(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= RTPHeader.fixedSize, bytes[0] >> 6 == 2 else { return false }
        return !(64...95).contains(bytes[1] & 0x7F)
    }

    /// Equal when header, payload bytes and padding length are equal (wherever the storage).
    public static func == (lhs: RTPPacket, rhs: RTPPacket) -> Bool {
        lhs.header == rhs.header && lhs.paddingLength == rhs.paddingLength && lhs.payload == rhs.payload
    }
}
