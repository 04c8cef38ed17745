/// A compound RTCP packet: the RTCP packets stacked in one datagram (RFC 3550 §6.1).
///
/// Parsing walks the length fields (32-bit words minus one, RFC 3550 §6.4.1), which must
/// tile the datagram exactly. When a packet's P bit is set its last octet counts the
/// padding octets (including itself), which are excluded from the body; a count of zero
/// or beyond the body is `.malformed`. RFC 3550 §6.4.1 only allows padding on the last
/// packet; it is accepted (and stripped) on any packet. The first packet is not required
/// to be SR/RR (RFC 5506 reduced-size RTCP).
///
/// Bounds: at most `maxPackets` packets per datagram (`.tooLarge`); each packet's own
/// counts are bounded as documented on its type.
public struct RTCPCompoundPacket: Sendable, Equatable {
    public static let maxPackets = 128

    /// The datagram `.unknown` ranges refer to.
    public let bytes: [UInt8]
    public let packets: [RTCPPacket]

    public init(parsing bytes: [UInt8]) throws(WireError) {
        guard !bytes.isEmpty else { throw WireError(.truncated, "RTCP compound packet empty") }
        var reader = ByteReader(bytes)
        var packets: [RTCPPacket] = []
        while !reader.isAtEnd {
            guard packets.count < Self.maxPackets else {
                throw WireError(.tooLarge, "RTCP compound packet count")
            }
            let start = reader.offset
            let header = try RTCPHeader(reading: &reader)
            var body = try reader.subReader(header.packetSize - RTCPHeader.size, "RTCP packet length")
            if header.padding {
                guard !body.isAtEnd else { throw WireError(.malformed, "RTCP padding bit set on empty packet") }
                let padding = Int(bytes[body.endOffset - 1])
                guard padding > 0, padding <= body.remaining else {
                    throw WireError(.malformed, "RTCP padding count \(padding)")
                }
                body = ByteReader(bytes, from: body.offset, to: body.endOffset - padding)
            }
            packets.append(try RTCPPacket.parse(header: header, body: &body, range: start..<reader.offset))
        }
        self.bytes = bytes
        self.packets = packets
    }

    /// Wraps packets for serialization; `.unknown` entries then have no source bytes.
    public init(packets: [RTCPPacket]) {
        self.bytes = []
        self.packets = packets
    }

    /// Appends every packet; `.unknown` packets are copied from `bytes` (skipped if their
    /// range is not inside `bytes`).
    public func serialize(into buffer: inout [UInt8]) {
        ByteWriter.appending(to: &buffer) { writer in
            for packet in packets {
                if case .unknown(_, let range) = packet {
                    if range.lowerBound >= 0, range.upperBound <= bytes.count {
                        writer.append(contentsOf: bytes[range])
                    }
                } else {
                    packet.write(to: &writer)
                }
            }
        }
    }

    /// Appends the packets as one compound packet (`.unknown` entries are skipped).
    public static func serialize(_ packets: [RTCPPacket], into buffer: inout [UInt8]) {
        ByteWriter.appending(to: &buffer) { writer in
            for packet in packets { packet.write(to: &writer) }
        }
    }
}
