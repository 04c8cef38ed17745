/// The RTP fixed header, CSRC list and header extension (RFC 3550 §5.1, §5.3.1).
///
/// ```
///  0                   1                   2                   3
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// |                           timestamp                           |
/// |           synchronization source (SSRC) identifier            |
/// |            contributing source (CSRC) identifiers             | (CC times)
/// |      defined by profile       |           length              | (if X)
/// |                        header extension                       |
/// ```
/// The padding bit lives on `RTPPacket`, which knows the padding length.
public struct RTPHeader: Sendable, Equatable {
    /// Size of the fixed part.
    public static let fixedSize = 12
    /// The 4-bit CC field bounds the CSRC list.
    public static let maxCSRCCount = 15

    public var marker: Bool
    /// 7-bit payload type; masked to 7 bits when written.
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    /// Contributing sources; only the first `maxCSRCCount` are written.
    public var csrcs: [UInt32]
    /// The header extension, present when the X bit is set.
    public var headerExtension: RTPHeaderExtension?

    public init(
        marker: Bool = false,
        payloadType: UInt8,
        sequenceNumber: UInt16,
        timestamp: UInt32,
        ssrc: UInt32,
        csrcs: [UInt32] = [],
        headerExtension: RTPHeaderExtension? = nil
    ) {
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcs = csrcs
        self.headerExtension = headerExtension
    }

    /// Parses the header at the start of `bytes` (padding is not examined; use `RTPPacket`).
    public init(parsing bytes: [UInt8]) throws(WireError) {
        var reader = ByteReader(bytes)
        self = try Self.read(from: &reader).header
    }

    /// Reads the header; returns it with the P bit. Checks version 2 and that the CSRC
    /// list and extension fit in the reader.
    static func read(from reader: inout ByteReader) throws(WireError) -> (header: RTPHeader, hasPadding: Bool) {
        let first = try reader.u8("RTP header")
        guard first >> 6 == 2 else { throw WireError(.malformed, "RTP version \(first >> 6)") }
        let second = try reader.u8("RTP header")
        let sequenceNumber = try reader.u16("RTP header")
        let timestamp = try reader.u32("RTP header")
        let ssrc = try reader.u32("RTP header")
        let csrcCount = Int(first & 0x0F)
        guard csrcCount * 4 <= reader.remaining else { throw WireError(.truncated, "RTP CSRC list") }
        var csrcs: [UInt32] = []
        if csrcCount > 0 {
            csrcs.reserveCapacity(csrcCount)
            for _ in 0..<csrcCount { csrcs.append(try reader.u32("RTP CSRC list")) }
        }
        var headerExtension: RTPHeaderExtension?
        if first & 0x10 != 0 {
            let profile = try reader.u16("RTP header extension")
            let words = try reader.u16("RTP header extension")
            let body = try reader.bytes(Int(words) * 4, "RTP header extension")
            headerExtension = RTPHeaderExtension(validatedProfile: profile, data: body)
        }
        let header = RTPHeader(
            marker: second & 0x80 != 0,
            payloadType: second & 0x7F,
            sequenceNumber: sequenceNumber,
            timestamp: timestamp,
            ssrc: ssrc,
            csrcs: csrcs,
            headerExtension: headerExtension
        )
        return (header, first & 0x20 != 0)
    }

    /// Bytes `serialize` appends.
    public var serializedLength: Int {
        Self.fixedSize + 4 * min(csrcs.count, Self.maxCSRCCount) + (headerExtension.map { 4 + $0.data.count } ?? 0)
    }

    /// Appends the header to `buffer`, setting the P bit when `hasPadding`.
    public func serialize(into buffer: inout [UInt8], hasPadding: Bool = false) {
        ByteWriter.appending(to: &buffer) { writer in write(to: &writer, hasPadding: hasPadding) }
    }

    func write(to writer: inout ByteWriter, hasPadding: Bool) {
        let csrcCount = min(csrcs.count, Self.maxCSRCCount)
        writer.u8(0x80 | (hasPadding ? 0x20 : 0) | (headerExtension != nil ? 0x10 : 0) | UInt8(csrcCount))
        writer.u8((marker ? 0x80 : 0) | (payloadType & 0x7F))
        writer.u16(sequenceNumber)
        writer.u32(timestamp)
        writer.u32(ssrc)
        for csrc in csrcs.prefix(csrcCount) { writer.u32(csrc) }
        if let headerExtension {
            writer.u16(headerExtension.profile)
            writer.u16(UInt16(truncatingIfNeeded: headerExtension.data.count / 4))
            writer.append(contentsOf: headerExtension.data)
        }
    }
}
