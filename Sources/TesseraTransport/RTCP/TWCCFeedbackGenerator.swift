public import TesseraWire

/// Builds transport-wide congestion control feedback for what we receive
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1).
///
/// Record each packet's transport-wide sequence number and arrival time; every
/// `interval` `poll(now:)` reports every number from the first unreported one up to the
/// newest received, split into several feedback packets when a run has more than
/// `maxStatusesPerFeedback` numbers or a receive delta does not fit 16 bits. Deltas are
/// taken between 250 µs-rounded absolute times, so rounding does not accumulate.
///
/// Bounded: arrivals live in a ring of `capacity` slots; a packet more than `capacity`
/// numbers ahead of the first unreported one pushes the older unreported ones out, and
/// packets arriving after their number was reported are ignored.
public struct TWCCFeedbackGenerator: Sendable {
    public struct Configuration: Sendable {
        public var interval: Duration = .milliseconds(100)
        public var capacity = 4096
        /// Keeps one feedback packet well under the MTU (~2.5 bytes per status at most).
        public var maxStatusesPerFeedback = 256

        public init() {}
    }

    private struct Slot: Sendable {
        var extendedSequenceNumber: Int64
        var arrivalMicroseconds: Int64
    }

    public let senderSSRC: UInt32
    public let mediaSSRC: UInt32
    public let configuration: Configuration
    /// Feedback packet count of the next packet (wraps at 256).
    public private(set) var feedbackCount: UInt8 = 0
    public private(set) var lastFeedbackAt: MediaTime?

    private var slots: [Slot]
    private var unwrapper = SequenceNumberUnwrapper()
    /// First extended number not yet reported.
    private var nextBase: Int64?

    /// `senderSSRC`: ours; `mediaSSRC`: one of the peer's media SSRCs (informational).
    public init(senderSSRC: UInt32, mediaSSRC: UInt32, configuration: Configuration = Configuration()) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        var configuration = configuration
        configuration.capacity = max(1, configuration.capacity)
        configuration.maxStatusesPerFeedback = min(max(1, configuration.maxStatusesPerFeedback), TransportWideFeedback.maxPacketStatusCount)
        self.configuration = configuration
        self.slots = Array(repeating: Slot(extendedSequenceNumber: .min, arrivalMicroseconds: 0), count: configuration.capacity)
    }

    /// Records a packet carrying the transport-wide-cc extension.
    public mutating func packetReceived(transportSequenceNumber: UInt16, at arrival: MediaTime) {
        let extended = unwrapper.unwrap(transportSequenceNumber)
        let capacity = Int64(configuration.capacity)
        guard let base = nextBase else {
            nextBase = extended
            store(extended, arrival)
            return
        }
        guard extended >= base else { return }
        if extended - base >= capacity { nextBase = extended - capacity + 1 }
        store(extended, arrival)
    }

    /// Reads the extension from `header` with the negotiated `extensionMap`; false when the
    /// packet has none (or it is malformed).
    @discardableResult
    public mutating func packetReceived(_ header: RTPHeader, extensionMap: HeaderExtensionMap, at arrival: MediaTime) -> Bool {
        guard let value = try? extensionMap.value(TransportSequenceNumberExtension.self, in: header.headerExtension) else {
            return false
        }
        packetReceived(transportSequenceNumber: value.sequenceNumber, at: arrival)
        return true
    }

    /// True when `interval` has passed since the last feedback and something is unreported.
    public func isFeedbackDue(now: MediaTime) -> Bool {
        guard hasUnreported else { return false }
        guard let last = lastFeedbackAt else { return true }
        return now - last >= configuration.interval
    }

    /// The feedback due at `now` (empty when not due).
    public mutating func poll(now: MediaTime) -> [TransportWideFeedback] {
        guard isFeedbackDue(now: now) else { return [] }
        lastFeedbackAt = now
        return makeFeedback()
    }

    /// Feedback for everything unreported, regardless of timing.
    public mutating func makeFeedback() -> [TransportWideFeedback] {
        guard hasUnreported, let base = nextBase, let highest = unwrapper.highest else { return [] }
        var result: [TransportWideFeedback] = []
        var start = base
        var referenceUnits: Int64 = 0
        while start <= highest {
            if let first = firstArrival(from: start, through: highest) {
                referenceUnits = Self.floorDivide(first, TransportWideFeedback.referenceTimeUnitMicroseconds)
            }
            let referenceMicros = referenceUnits * TransportWideFeedback.referenceTimeUnitMicroseconds
            var statuses: [TransportWideFeedback.PacketStatus] = []
            statuses.reserveCapacity(min(configuration.maxStatusesPerFeedback, Int(highest - start + 1)))
            var previousTick: Int64 = 0
            var next = start
            while next <= highest, statuses.count < configuration.maxStatusesPerFeedback {
                let sequenceNumber = UInt16(truncatingIfNeeded: next)
                guard let arrival = arrival(of: next) else {
                    statuses.append(.init(sequenceNumber: sequenceNumber, deltaMicroseconds: nil))
                    next += 1
                    continue
                }
                let tick = Self.roundedTicks(arrival - referenceMicros)
                let delta = tick - previousTick
                if Int16(exactly: delta) == nil, !statuses.isEmpty { break } // next packet
                let clamped = min(max(delta, Int64(Int16.min)), Int64(Int16.max))
                statuses.append(.init(
                    sequenceNumber: sequenceNumber,
                    deltaMicroseconds: Int32(clamped) * TransportWideFeedback.deltaTickMicroseconds))
                previousTick += clamped
                next += 1
            }
            let feedback = try? TransportWideFeedback(
                senderSSRC: senderSSRC,
                mediaSSRC: mediaSSRC,
                baseSequenceNumber: UInt16(truncatingIfNeeded: start),
                referenceTime: Self.signed24(referenceUnits),
                feedbackPacketCount: feedbackCount,
                packets: statuses)
            if let feedback {
                result.append(feedback)
                feedbackCount &+= 1
            }
            start = next
        }
        nextBase = highest + 1
        return result
    }

    private var hasUnreported: Bool {
        guard let base = nextBase, let highest = unwrapper.highest else { return false }
        return base <= highest
    }

    private mutating func store(_ extended: Int64, _ arrival: MediaTime) {
        slots[index(of: extended)] = Slot(extendedSequenceNumber: extended, arrivalMicroseconds: arrival.microseconds)
    }

    private func arrival(of extended: Int64) -> Int64? {
        let slot = slots[index(of: extended)]
        return slot.extendedSequenceNumber == extended ? slot.arrivalMicroseconds : nil
    }

    private func firstArrival(from start: Int64, through end: Int64) -> Int64? {
        let limit = min(end, start + Int64(configuration.maxStatusesPerFeedback) - 1)
        for extended in start...limit {
            if let arrival = arrival(of: extended) { return arrival }
        }
        return nil
    }

    private func index(of extended: Int64) -> Int {
        let capacity = Int64(configuration.capacity)
        return Int(((extended % capacity) + capacity) % capacity)
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }

    /// Microseconds to the nearest 250 µs tick.
    private static func roundedTicks(_ micros: Int64) -> Int64 {
        floorDivide(micros + Int64(TransportWideFeedback.deltaTickMicroseconds / 2), Int64(TransportWideFeedback.deltaTickMicroseconds))
    }

    /// The low 24 bits of `units` as the signed reference-time field.
    static func signed24(_ units: Int64) -> Int32 {
        let low = Int32(truncatingIfNeeded: units & 0xFF_FFFF)
        return low > 0x7F_FFFF ? low - 0x100_0000 : low
    }
}
