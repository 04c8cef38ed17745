/// RTCP source description, PT 202 (RFC 3550 §6.5).
///
/// Bounds: at most 31 chunks (the 5-bit SC field) and 16 items per chunk (8 item types
/// exist); more items is `.tooLarge`. Each item value is at most 255 bytes by its length
/// octet. Bytes after the last chunk are ignored.
public struct SourceDescription: Sendable, Equatable {
    public static let maxChunks = 31
    public static let maxItemsPerChunk = 16

    /// An SDES item type (RFC 3550 §6.5.1-§6.5.8); 0 is the list terminator.
    public struct ItemType: RawRepresentable, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let cname = ItemType(rawValue: 1)
        public static let name = ItemType(rawValue: 2)
        public static let email = ItemType(rawValue: 3)
        public static let phone = ItemType(rawValue: 4)
        public static let location = ItemType(rawValue: 5)
        public static let tool = ItemType(rawValue: 6)
        public static let note = ItemType(rawValue: 7)
        public static let priv = ItemType(rawValue: 8)
    }

    /// One SDES item: type and raw value (UTF-8 text for the standard types).
    public struct Item: Sendable, Equatable {
        public var type: ItemType
        /// At most 255 bytes are written.
        public var value: [UInt8]

        public init(type: ItemType, value: [UInt8]) {
            self.type = type
            self.value = value
        }

        public init(type: ItemType, text: String) {
            self.init(type: type, value: Array(text.utf8))
        }

        /// The value decoded as UTF-8 (invalid sequences replaced).
        public var text: String { String(decoding: value, as: UTF8.self) }
    }

    /// The items describing one SSRC/CSRC.
    public struct Chunk: Sendable, Equatable {
        public var ssrc: UInt32
        public var items: [Item]

        public init(ssrc: UInt32, items: [Item]) {
            self.ssrc = ssrc
            self.items = items
        }

        public init(ssrc: UInt32, cname: String) {
            self.init(ssrc: ssrc, items: [Item(type: .cname, text: cname)])
        }

        /// The first CNAME item's text.
        public var cname: String? { items.first { $0.type == .cname }?.text }
    }

    public var chunks: [Chunk]

    public init(chunks: [Chunk]) {
        self.chunks = chunks
    }

    init(sourceCount: UInt8, body reader: inout ByteReader) throws(WireError) {
        let count = Int(sourceCount)
        // Smallest chunk: SSRC, a null octet, three pad octets.
        guard count * 8 <= reader.remaining else { throw WireError(.truncated, "RTCP SDES chunks") }
        var chunks: [Chunk] = []
        chunks.reserveCapacity(count)
        for _ in 0..<count {
            let chunkStart = reader.offset
            let ssrc = try reader.u32("RTCP SDES chunk")
            var items: [Item] = []
            while true {
                let type = try reader.u8("RTCP SDES item")
                if type == 0 { break }
                guard items.count < Self.maxItemsPerChunk else {
                    throw WireError(.tooLarge, "RTCP SDES item count")
                }
                let length = try reader.u8("RTCP SDES item")
                let value = try reader.bytes(Int(length), "RTCP SDES item")
                items.append(Item(type: ItemType(rawValue: type), value: Array(value)))
            }
            try reader.skipToWordBoundary(from: chunkStart, "RTCP SDES chunk padding")
            chunks.append(Chunk(ssrc: ssrc, items: items))
        }
        self.chunks = chunks
    }

    func write(to writer: inout ByteWriter) {
        let chunks = chunks.prefix(Self.maxChunks)
        let start = writer.beginRTCP(.sourceDescription, count: UInt8(chunks.count))
        for chunk in chunks {
            let chunkStart = writer.count
            writer.u32(chunk.ssrc)
            for item in chunk.items.lazy.filter({ $0.type.rawValue != 0 }).prefix(Self.maxItemsPerChunk) {
                let value = item.value.prefix(255)
                writer.u8(item.type.rawValue)
                writer.u8(UInt8(value.count))
                writer.append(contentsOf: value)
            }
            writer.u8(0) // end of item list
            writer.padToWordBoundary(from: chunkStart)
        }
        writer.endRTCP(startingAt: start)
    }
}
