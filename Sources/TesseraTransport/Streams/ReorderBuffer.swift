/// Puts one stream's RTP packets back in sequence order before depacketization.
///
/// Packets are released as soon as they are contiguous. A gap is waited for up to
/// `maxWait` (time for a NACK retransmission to arrive) or until `capacity` packets queue
/// behind it; then the buffer skips the gap, and the depacketizer sees the loss. A value
/// type with no clock: `now` is passed in.
public struct ReorderBuffer<Element: Sendable>: Sendable {
    public let capacity: Int
    public let maxWait: Duration
    private var unwrapper = SequenceNumberUnwrapper()
    /// The next extended sequence number to release; nil before the first packet.
    private var next: Int64?
    private var pending: [Int64: (element: Element, arrival: MediaTime)] = [:]
    public private(set) var skippedPackets = 0
    public private(set) var duplicates = 0

    public init(capacity: Int = 256, maxWait: Duration = .milliseconds(150)) {
        self.capacity = capacity
        self.maxWait = maxWait
    }

    /// Adds a packet; returns the packets now releasable, in order.
    public mutating func insert(_ element: Element, sequenceNumber: UInt16, now: MediaTime) -> [(sequenceNumber: UInt16, element: Element)] {
        let extended = unwrapper.unwrap(sequenceNumber)
        if let expected = next {
            guard extended >= expected, pending[extended] == nil else {
                duplicates += 1
                return []
            }
            // A jump far ahead (a restart or a burst loss): start over from here.
            if extended - expected > Int64(capacity) * 4 {
                skippedPackets += Int(extended - expected) - pending.count
                pending.removeAll()
                next = extended
            }
        } else {
            next = extended
        }
        pending[extended] = (element, now)
        return release(now: now)
    }

    /// Releases what the wait or capacity rules allow (call on a timer too).
    public mutating func release(now: MediaTime) -> [(sequenceNumber: UInt16, element: Element)] {
        var out: [(sequenceNumber: UInt16, element: Element)] = []
        while var expected = next {
            if let entry = pending.removeValue(forKey: expected) {
                out.append((UInt16(truncatingIfNeeded: expected), entry.element))
                next = expected + 1
                continue
            }
            guard let oldest = pending.keys.min() else { break }
            let waited = pending[oldest].map { now - $0.arrival } ?? .zero
            guard pending.count >= capacity || waited >= maxWait else { break }
            skippedPackets += Int(oldest - expected)
            expected = oldest
            next = expected
        }
        return out
    }

    /// Packets waiting behind a gap.
    public var waiting: Int { pending.count }
}
