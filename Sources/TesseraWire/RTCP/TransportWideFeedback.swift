/// Transport-wide congestion control feedback, RTPFB (PT 205) FMT 15
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1).
///
/// ```
/// |      base sequence number     |      packet status count      |
/// |                 reference time                | fb pkt. count |
/// |          packet chunk         |         packet chunk          |  ...
/// |         recv delta            |  recv delta   | zero padding  |
/// ```
/// Packet chunks are run-length (T=0: 2-bit symbol, 13-bit run) or status vectors (T=1;
/// S=0: fourteen 1-bit symbols, S=1: seven 2-bit symbols). Symbols: 0 not received,
/// 1 received with a 1-byte unsigned delta, 2 received with a 2-byte signed delta, 3
/// reserved (`.malformed`). Deltas are in 250 µs ticks, the reference time in 64 ms units
/// (signed 24 bits).
///
/// Bounds: packet status count 1...`maxPacketStatusCount` (0 is `.malformed` as in
/// libwebrtc, more is `.tooLarge`). Chunks and deltas are validated against the packet
/// before the status list is allocated.
public struct TransportWideFeedback: Sendable, Equatable {
    public static let format: UInt8 = 15
    public static let maxPacketStatusCount = 4096
    /// Receive-delta resolution.
    public static let deltaTickMicroseconds: Int32 = 250
    /// Reference-time resolution.
    public static let referenceTimeUnitMicroseconds: Int64 = 64_000
    public static let referenceTimeRange: ClosedRange<Int32> = -0x80_0000...0x7F_FFFF

    /// The fate of one transport-wide sequence number.
    public struct PacketStatus: Sendable, Equatable {
        public var sequenceNumber: UInt16
        /// Arrival time relative to the previous received packet (the first one: relative to
        /// the reference time), in microseconds; nil when not received.
        public var deltaMicroseconds: Int32?

        public init(sequenceNumber: UInt16, deltaMicroseconds: Int32?) {
            self.sequenceNumber = sequenceNumber
            self.deltaMicroseconds = deltaMicroseconds
        }

        public var isReceived: Bool { deltaMicroseconds != nil }
    }

    public let senderSSRC: UInt32
    public let mediaSSRC: UInt32
    public let baseSequenceNumber: UInt16
    /// Reference time in 64 ms units (signed 24 bits).
    public let referenceTime: Int32
    public let feedbackPacketCount: UInt8
    /// One entry per sequence number from `baseSequenceNumber`, consecutive.
    public let packets: [PacketStatus]

    /// The reference time in microseconds.
    public var referenceTimeMicroseconds: Int64 { Int64(referenceTime) * Self.referenceTimeUnitMicroseconds }

    /// Builds feedback from a status list. `packets[i].sequenceNumber` must be
    /// `baseSequenceNumber &+ i`; deltas are rounded to the nearest 250 µs tick and must fit
    /// a signed 16-bit tick count (±8.19 s). Throws `.malformed` for an empty list, a
    /// sequence gap, a reference time outside 24 bits or a delta out of range; `.tooLarge`
    /// for more than `maxPacketStatusCount` packets.
    public init(
        senderSSRC: UInt32,
        mediaSSRC: UInt32,
        baseSequenceNumber: UInt16,
        referenceTime: Int32,
        feedbackPacketCount: UInt8,
        packets: [PacketStatus]
    ) throws(WireError) {
        guard !packets.isEmpty else { throw WireError(.malformed, "TWCC empty packet list") }
        guard packets.count <= Self.maxPacketStatusCount else {
            throw WireError(.tooLarge, "TWCC packet status count")
        }
        guard Self.referenceTimeRange.contains(referenceTime) else {
            throw WireError(.malformed, "TWCC reference time out of 24-bit range")
        }
        var normalized: [PacketStatus] = []
        normalized.reserveCapacity(packets.count)
        var expected = baseSequenceNumber
        for packet in packets {
            guard packet.sequenceNumber == expected else {
                throw WireError(.malformed, "TWCC sequence numbers not consecutive")
            }
            expected &+= 1
            guard let delta = packet.deltaMicroseconds else {
                normalized.append(packet)
                continue
            }
            let tick = Int64(Self.deltaTickMicroseconds)
            let rounded = (Int64(delta) + (delta >= 0 ? tick / 2 : -tick / 2)) / tick
            guard let ticks = Int16(exactly: rounded) else {
                throw WireError(.malformed, "TWCC receive delta out of range")
            }
            normalized.append(PacketStatus(sequenceNumber: packet.sequenceNumber, deltaMicroseconds: Int32(ticks) * Self.deltaTickMicroseconds))
        }
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.baseSequenceNumber = baseSequenceNumber
        self.referenceTime = referenceTime
        self.feedbackPacketCount = feedbackPacketCount
        self.packets = normalized
    }

    init(body reader: inout ByteReader) throws(WireError) {
        senderSSRC = try reader.u32("RTCP TWCC")
        mediaSSRC = try reader.u32("RTCP TWCC")
        baseSequenceNumber = try reader.u16("RTCP TWCC")
        let statusCount = Int(try reader.u16("RTCP TWCC"))
        referenceTime = try reader.i24("RTCP TWCC")
        feedbackPacketCount = try reader.u8("RTCP TWCC")
        guard statusCount > 0 else { throw WireError(.malformed, "TWCC packet status count zero") }
        guard statusCount <= Self.maxPacketStatusCount else {
            throw WireError(.tooLarge, "TWCC packet status count")
        }

        // Pass 1, no allocation: walk the chunks and check the deltas they announce fit.
        var scan = StatusSymbolDecoder(chunks: reader, count: statusCount)
        var deltaBytes = 0
        while let symbol = try scan.next() { deltaBytes += Int(symbol) } // symbol 1 or 2 = delta size
        var deltas = scan.chunks
        guard deltaBytes <= deltas.remaining else { throw WireError(.truncated, "TWCC receive deltas") }

        // Pass 2: decode.
        var symbols = StatusSymbolDecoder(chunks: reader, count: statusCount)
        var packets: [PacketStatus] = []
        packets.reserveCapacity(statusCount)
        var sequenceNumber = baseSequenceNumber
        while let symbol = try symbols.next() {
            let delta: Int32?
            switch symbol {
            case 0: delta = nil
            case 1: delta = Int32(try deltas.u8("TWCC receive delta")) * Self.deltaTickMicroseconds
            default: delta = Int32(try deltas.i16("TWCC receive delta")) * Self.deltaTickMicroseconds
            }
            packets.append(PacketStatus(sequenceNumber: sequenceNumber, deltaMicroseconds: delta))
            sequenceNumber &+= 1
        }
        self.packets = packets
        reader = deltas // trailing zero padding is left unread
    }

    /// Status symbol of a (normalized) packet: 0 lost, 1 small delta, 2 large delta.
    private static func symbol(_ packet: PacketStatus) -> UInt16 {
        guard let delta = packet.deltaMicroseconds else { return 0 }
        return (0...255 * deltaTickMicroseconds).contains(delta) ? 1 : 2
    }

    func write(to writer: inout ByteWriter) {
        let start = writer.beginRTCP(.transportFeedback, count: Self.format)
        writer.u32(senderSSRC)
        writer.u32(mediaSSRC)
        writer.u16(baseSequenceNumber)
        writer.u16(UInt16(packets.count))
        writer.i24(referenceTime)
        writer.u8(feedbackPacketCount)

        // Chunks: a run-length chunk for long runs (>= 14, or >= 7 of symbol 2) and for the
        // final run; otherwise a 1-bit vector when the next 14 symbols are all 0/1, else a
        // 2-bit vector of 7. Vector slots past the end are 0 and ignored by receivers.
        let count = packets.count
        var index = 0
        while index < count {
            let symbol = Self.symbol(packets[index])
            var run = 1
            while index + run < count, run < 0x1FFF, Self.symbol(packets[index + run]) == symbol { run += 1 }
            if run == count - index || run >= 14 || (symbol == 2 && run >= 7) {
                writer.u16(symbol << 13 | UInt16(run))
                index += run
                continue
            }
            let window14 = min(14, count - index)
            if (index..<(index + window14)).allSatisfy({ Self.symbol(packets[$0]) <= 1 }) {
                var chunk: UInt16 = 0x8000
                for offset in 0..<window14 {
                    chunk |= Self.symbol(packets[index + offset]) << (13 - offset)
                }
                writer.u16(chunk)
                index += window14
            } else {
                let window7 = min(7, count - index)
                var chunk: UInt16 = 0xC000
                for offset in 0..<window7 {
                    chunk |= Self.symbol(packets[index + offset]) << (12 - 2 * offset)
                }
                writer.u16(chunk)
                index += window7
            }
        }
        for packet in packets {
            guard let delta = packet.deltaMicroseconds else { continue }
            let ticks = delta / Self.deltaTickMicroseconds
            if Self.symbol(packet) == 1 {
                writer.u8(UInt8(truncatingIfNeeded: ticks))
            } else {
                writer.u16(UInt16(bitPattern: Int16(truncatingIfNeeded: ticks)))
            }
        }
        writer.endRTCP(startingAt: start)
    }
}

/// Yields the status symbols of TWCC packet chunks one by one, reading chunks lazily.
private struct StatusSymbolDecoder {
    /// Positioned after the last chunk read.
    var chunks: ByteReader
    private var remaining: Int
    private var chunk: UInt16 = 0
    private var symbolsLeftInChunk = 0
    private var indexInChunk = 0

    init(chunks: ByteReader, count: Int) {
        self.chunks = chunks
        self.remaining = count
    }

    mutating func next() throws(WireError) -> UInt8? {
        guard remaining > 0 else { return nil }
        while symbolsLeftInChunk == 0 { // a zero-length run chunk just consumes 2 bytes
            chunk = try chunks.u16("TWCC packet chunk")
            indexInChunk = 0
            if chunk & 0x8000 == 0 {
                symbolsLeftInChunk = Int(chunk & 0x1FFF)
            } else {
                symbolsLeftInChunk = chunk & 0x4000 == 0 ? 14 : 7
            }
        }
        let symbol: UInt16
        if chunk & 0x8000 == 0 {
            symbol = (chunk >> 13) & 0x3
        } else if chunk & 0x4000 == 0 {
            symbol = (chunk >> (13 - indexInChunk)) & 0x1
        } else {
            symbol = (chunk >> (12 - 2 * indexInChunk)) & 0x3
        }
        indexInChunk += 1
        symbolsLeftInChunk -= 1
        remaining -= 1
        guard symbol != 3 else { throw WireError(.malformed, "TWCC reserved status symbol") }
        return UInt8(symbol)
    }
}
