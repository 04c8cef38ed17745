/// Full intra request, PSFB (PT 206) FMT 4 (RFC 5104 §4.3.1).
///
/// FCI entries are 8 bytes: SSRC, command sequence number, 24 reserved bits. Bound: at
/// most `maxEntries` entries (`.tooLarge` when parsing more; extra ones are not written).
public struct FullIntraRequest: Sendable, Equatable {
    public static let format: UInt8 = 4
    public static let maxEntries = 256

    public struct Entry: Sendable, Equatable {
        /// The media sender asked to send a decoder refresh point.
        public var ssrc: UInt32
        /// Command sequence number, incremented per new request.
        public var sequenceNumber: UInt8

        public init(ssrc: UInt32, sequenceNumber: UInt8) {
            self.ssrc = ssrc
            self.sequenceNumber = sequenceNumber
        }
    }

    public var senderSSRC: UInt32
    /// RFC 5104 says this SHALL be 0; kept as received.
    public var mediaSSRC: UInt32
    public var entries: [Entry]

    public init(senderSSRC: UInt32, mediaSSRC: UInt32 = 0, entries: [Entry]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.entries = entries
    }

    init(body reader: inout ByteReader) throws(WireError) {
        senderSSRC = try reader.u32("RTCP FIR")
        mediaSSRC = try reader.u32("RTCP FIR")
        guard reader.remaining & 7 == 0 else { throw WireError(.malformed, "RTCP FIR FCI length") }
        let count = reader.remaining / 8
        guard count <= Self.maxEntries else { throw WireError(.tooLarge, "RTCP FIR entry count") }
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let ssrc = try reader.u32("RTCP FIR entry")
            let sequenceNumber = try reader.u8("RTCP FIR entry")
            try reader.skip(3, "RTCP FIR entry")
            entries.append(Entry(ssrc: ssrc, sequenceNumber: sequenceNumber))
        }
        self.entries = entries
    }

    func write(to writer: inout ByteWriter) {
        let start = writer.beginRTCP(.payloadSpecificFeedback, count: Self.format)
        writer.u32(senderSSRC)
        writer.u32(mediaSSRC)
        for entry in entries.prefix(Self.maxEntries) {
            writer.u32(entry.ssrc)
            writer.u8(entry.sequenceNumber)
            writer.zeros(3)
        }
        writer.endRTCP(startingAt: start)
    }
}
