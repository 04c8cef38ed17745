/// Generic NACK, RTPFB (PT 205) FMT 1 (RFC 4585 §6.2.1).
///
/// Each FCI item is a PID and a 16-bit BLP bitmask of further lost packets PID+1...PID+16.
/// Bound: at most `maxItems` FCI items (`.tooLarge` when parsing more; extra ones are not
/// written).
public struct GenericNACK: Sendable, Equatable {
    public static let format: UInt8 = 1
    public static let maxItems = 1024

    /// One FCI entry.
    public struct Item: Sendable, Equatable {
        /// PID: the sequence number of a lost packet.
        public var packetID: UInt16
        /// BLP: bit i set means PID + i + 1 is lost too.
        public var lostPacketBitmask: UInt16

        public init(packetID: UInt16, lostPacketBitmask: UInt16 = 0) {
            self.packetID = packetID
            self.lostPacketBitmask = lostPacketBitmask
        }
    }

    public var senderSSRC: UInt32
    public var mediaSSRC: UInt32
    public var items: [Item]

    public init(senderSSRC: UInt32, mediaSSRC: UInt32, items: [Item]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.items = items
    }

    /// Packs lost sequence numbers (ascending, wrap-around allowed) into PID+BLP items: each
    /// number within PID+1...PID+16 of the current item sets a bit, any other starts a new item.
    public init(senderSSRC: UInt32, mediaSSRC: UInt32, sequenceNumbers: [UInt16]) {
        var items: [Item] = []
        for sequenceNumber in sequenceNumbers {
            if let last = items.last {
                let distance = sequenceNumber &- last.packetID
                if distance == 0 { continue }
                if distance <= 16 {
                    items[items.count - 1].lostPacketBitmask |= 1 << (distance - 1)
                    continue
                }
            }
            items.append(Item(packetID: sequenceNumber))
        }
        self.init(senderSSRC: senderSSRC, mediaSSRC: mediaSSRC, items: items)
    }

    /// Every sequence number the items report lost, in item order (PID, then BLP bits).
    public var sequenceNumbers: [UInt16] {
        var result: [UInt16] = []
        for item in items {
            result.append(item.packetID)
            for bit in 0..<16 where item.lostPacketBitmask & (1 << bit) != 0 {
                result.append(item.packetID &+ UInt16(bit + 1))
            }
        }
        return result
    }

    init(body reader: inout ByteReader) throws(WireError) {
        senderSSRC = try reader.u32("RTCP NACK")
        mediaSSRC = try reader.u32("RTCP NACK")
        guard reader.remaining & 3 == 0 else { throw WireError(.malformed, "RTCP NACK FCI length") }
        let count = reader.remaining / 4
        guard count <= Self.maxItems else { throw WireError(.tooLarge, "RTCP NACK item count") }
        var items: [Item] = []
        items.reserveCapacity(count)
        for _ in 0..<count {
            let packetID = try reader.u16("RTCP NACK item")
            items.append(Item(packetID: packetID, lostPacketBitmask: try reader.u16("RTCP NACK item")))
        }
        self.items = items
    }

    func write(to writer: inout ByteWriter) {
        let start = writer.beginRTCP(.transportFeedback, count: Self.format)
        writer.u32(senderSSRC)
        writer.u32(mediaSSRC)
        for item in items.prefix(Self.maxItems) {
            writer.u16(item.packetID)
            writer.u16(item.lostPacketBitmask)
        }
        writer.endRTCP(startingAt: start)
    }
}
