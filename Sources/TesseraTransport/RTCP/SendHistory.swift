/// The last RTP packets sent on one outbound SSRC, kept for retransmission on NACK
/// (RFC 4585 §6.2.1, RFC 4588).
///
/// A fixed ring of `capacity` slots indexed by the extended (wrap-corrected) sequence
/// number; a slot remembers which extended number it holds, so a lookup never returns a
/// packet from an earlier wrap. Memory is bounded twice: by `capacity` packets and by
/// `maxBytes` stored bytes (the oldest packets are evicted first).
///
/// Store the plaintext packet (before SRTP). The bytes are retained, not copied: a sender
/// that mutates the same buffer afterwards pays one copy-on-write copy then.
public struct SendHistory: Sendable {
    /// A stored packet.
    public struct Entry: Sendable, Equatable {
        public var bytes: [UInt8]
        public var sentAt: MediaTime
    }

    private struct Slot: Sendable {
        static let empty = Slot(extendedSequenceNumber: .min, bytes: [], sentAt: .zero)
        var extendedSequenceNumber: Int64
        var bytes: [UInt8]
        var sentAt: MediaTime
    }

    public let capacity: Int
    public let maxBytes: Int
    /// Bytes currently stored.
    public private(set) var storedBytes = 0
    /// Packets currently stored.
    public private(set) var count = 0

    private var slots: [Slot]
    private var unwrapper = SequenceNumberUnwrapper()
    /// No live entry has a lower extended sequence number.
    private var oldest: Int64 = 0

    /// `capacity` packets (at least 1) and at most `maxBytes` bytes (default 2 MiB).
    public init(capacity: Int = 1024, maxBytes: Int = 2 << 20) {
        self.capacity = max(1, capacity)
        self.maxBytes = max(0, maxBytes)
        self.slots = Array(repeating: .empty, count: self.capacity)
    }

    /// Remembers a sent packet. Ignored when empty, larger than `maxBytes`, or older than
    /// the window (`capacity` numbers behind the newest). Replaces an entry with the same
    /// sequence number.
    public mutating func store(_ bytes: [UInt8], sequenceNumber: UInt16, at now: MediaTime) {
        guard !bytes.isEmpty, bytes.count <= maxBytes else { return }
        let extended = unwrapper.peek(sequenceNumber)
        let window = Int64(capacity)
        if let highest = unwrapper.highest {
            if extended <= highest - window { return }
            if extended > highest {
                // Slots between the old and new head now belong to numbers nobody stored.
                for skipped in max(highest + 1, extended - window + 1)...extended { evict(at: index(of: skipped)) }
            } else {
                evict(at: index(of: extended))
            }
            oldest = min(max(oldest, max(highest, extended) - window + 1), extended)
        } else {
            oldest = extended
        }
        _ = unwrapper.unwrap(sequenceNumber)
        slots[index(of: extended)] = Slot(extendedSequenceNumber: extended, bytes: bytes, sentAt: now)
        storedBytes += bytes.count
        count += 1

        let highest = unwrapper.highest ?? extended
        while storedBytes > maxBytes, oldest <= highest {
            let slot = index(of: oldest)
            if slots[slot].extendedSequenceNumber == oldest { evict(at: slot) }
            oldest += 1
        }
    }

    /// The stored bytes of `sequenceNumber`, nil when never stored or evicted.
    public func packet(for sequenceNumber: UInt16) -> [UInt8]? {
        entry(for: sequenceNumber)?.bytes
    }

    /// The stored packet and its send time.
    public func entry(for sequenceNumber: UInt16) -> Entry? {
        guard unwrapper.highest != nil else { return nil }
        let extended = unwrapper.peek(sequenceNumber)
        let slot = slots[index(of: extended)]
        guard slot.extendedSequenceNumber == extended else { return nil }
        return Entry(bytes: slot.bytes, sentAt: slot.sentAt)
    }

    /// Forgets every packet (e.g. after an SSRC change).
    public mutating func removeAll() {
        for slot in slots.indices { slots[slot] = .empty }
        storedBytes = 0
        count = 0
        oldest = 0
        unwrapper.reset()
    }

    private func index(of extended: Int64) -> Int {
        let window = Int64(capacity)
        return Int(((extended % window) + window) % window)
    }

    private mutating func evict(at slot: Int) {
        guard slots[slot].extendedSequenceNumber != Slot.empty.extendedSequenceNumber else { return }
        storedBytes -= slots[slot].bytes.count
        count -= 1
        slots[slot] = .empty
    }
}
