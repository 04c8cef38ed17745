/// Assigns transport-wide sequence numbers to outbound packets
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2) and remembers, in a fixed
/// ring, when each was sent and how large it was, for `BandwidthEstimate`.
///
/// One recorder per transport (all SSRCs share the counter). Write the number returned by
/// `assign` into the packet with `TransportSequenceNumberExtension`.
public struct TransportSequenceRecorder: Sendable {
    /// What we know about a sent packet.
    public struct SentPacket: Sendable, Equatable {
        public var sequenceNumber: UInt16
        public var sentAt: MediaTime
        /// Bytes on the wire as counted by the caller (e.g. the SRTP packet size).
        public var size: Int
    }

    private struct Slot: Sendable {
        var extendedSequenceNumber: Int64
        var sentAt: MediaTime
        var size: Int
        var acknowledged: Bool
    }

    public let capacity: Int
    /// The next number `assign` hands out.
    public private(set) var nextSequenceNumber: UInt16

    private var nextExtended: Int64
    private var slots: [Slot]

    /// `capacity`: packets remembered (default 8192, about 8 s at 1000 packets/s).
    public init(capacity: Int = 8192, initialSequenceNumber: UInt16 = 1) {
        self.capacity = max(1, capacity)
        self.nextSequenceNumber = initialSequenceNumber
        self.nextExtended = Int64(initialSequenceNumber)
        self.slots = Array(
            repeating: Slot(extendedSequenceNumber: -1, sentAt: .zero, size: 0, acknowledged: false),
            count: self.capacity)
    }

    /// The number for a packet of `size` bytes sent at `now`.
    public mutating func assign(size: Int, at now: MediaTime) -> UInt16 {
        let sequenceNumber = nextSequenceNumber
        slots[index(of: nextExtended)] = Slot(extendedSequenceNumber: nextExtended, sentAt: now, size: size, acknowledged: false)
        nextExtended += 1
        nextSequenceNumber &+= 1
        return sequenceNumber
    }

    /// The packet recorded under `sequenceNumber`; nil when unknown or overwritten.
    public func sentPacket(_ sequenceNumber: UInt16) -> SentPacket? {
        guard let slot = slot(for: sequenceNumber) else { return nil }
        return SentPacket(sequenceNumber: sequenceNumber, sentAt: slots[slot].sentAt, size: slots[slot].size)
    }

    /// Like `sentPacket`, but only the first time: marks it acknowledged so a packet
    /// reported received twice is counted once.
    public mutating func acknowledge(_ sequenceNumber: UInt16) -> SentPacket? {
        guard let slot = slot(for: sequenceNumber), !slots[slot].acknowledged else { return nil }
        slots[slot].acknowledged = true
        return SentPacket(sequenceNumber: sequenceNumber, sentAt: slots[slot].sentAt, size: slots[slot].size)
    }

    private func slot(for sequenceNumber: UInt16) -> Int? {
        let newest = nextExtended - 1
        let delta = Int16(bitPattern: sequenceNumber &- UInt16(truncatingIfNeeded: newest))
        let extended = newest + Int64(delta)
        guard extended >= 0, extended <= newest else { return nil }
        let slot = index(of: extended)
        return slots[slot].extendedSequenceNumber == extended ? slot : nil
    }

    private func index(of extended: Int64) -> Int { Int(extended % Int64(capacity)) }
}
