public import TesseraWire

/// Asks the sender of one inbound stream to resend lost packets (Generic NACK, RFC 4585
/// §6.2.1).
///
/// Feed every received sequence number (for a packet repaired through RTX, its original
/// sequence number). Gaps become missing entries; `poll(now:)` NACKs each missing packet
/// at most `maxRetries` times, `retryInterval` apart (the RTT when known), then gives up
/// on it and reports that a keyframe is needed. A jump of more than `maxJump` numbers
/// either way resets the tracker (the sender restarted or lost a lot) and asks for a
/// keyframe; so does overflowing the `maxMissing` entries, which drops the oldest ones.
///
/// The missing list is an array with reserved capacity kept in ascending order; nothing
/// is allocated per received packet.
public struct NACKGenerator: Sendable {
    public struct Configuration: Sendable {
        public var maxRetries = 10
        /// Spacing of NACKs for one packet while no RTT is known.
        public var defaultRetryInterval: Duration = .milliseconds(100)
        public var maxMissing = 256
        public var maxJump: Int64 = 1000

        public init() {}
    }

    /// What `poll` asks the owner to do.
    public struct Output: Sendable, Equatable {
        /// A NACK to send now, nil when nothing is due.
        public var nack: GenericNACK?
        /// Send a PLI (or FIR): packets were given up on, or the stream jumped.
        public var keyframeNeeded: Bool
    }

    private struct Missing: Sendable {
        var extendedSequenceNumber: Int64
        var detectedAt: MediaTime
        var retries: Int
        var lastNACKedAt: MediaTime?
    }

    public let senderSSRC: UInt32
    public let mediaSSRC: UInt32
    public let configuration: Configuration
    public private(set) var roundTripTime: Duration?

    private var missing: [Missing]
    private var unwrapper = SequenceNumberUnwrapper()
    private var keyframePendingSince: MediaTime?

    /// `senderSSRC` is our SSRC written into the NACK, `mediaSSRC` the stream tracked.
    public init(senderSSRC: UInt32, mediaSSRC: UInt32, configuration: Configuration = Configuration()) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.configuration = configuration
        self.missing = []
        self.missing.reserveCapacity(max(1, configuration.maxMissing))
    }

    public var retryInterval: Duration { roundTripTime ?? configuration.defaultRetryInterval }

    public mutating func updateRoundTripTime(_ rtt: Duration) {
        roundTripTime = rtt
    }

    /// The sequence numbers currently considered missing, ascending.
    public var missingSequenceNumbers: [UInt16] {
        missing.map { UInt16(truncatingIfNeeded: $0.extendedSequenceNumber) }
    }

    /// Records a received packet. Returns true when it reset the tracker (a keyframe is
    /// needed; `poll` reports it too).
    @discardableResult
    public mutating func packetReceived(sequenceNumber: UInt16, now: MediaTime) -> Bool {
        guard let highest = unwrapper.highest else {
            _ = unwrapper.unwrap(sequenceNumber)
            return false
        }
        let extended = unwrapper.peek(sequenceNumber)
        let delta = extended - highest
        if delta > configuration.maxJump || delta < -configuration.maxJump {
            missing.removeAll(keepingCapacity: true)
            unwrapper.reset()
            _ = unwrapper.unwrap(sequenceNumber)
            keyframePendingSince = keyframePendingSince ?? now
            return true
        }
        if delta <= 0 {
            if let index = indexOfMissing(extended) { missing.remove(at: index) }
            return false
        }
        _ = unwrapper.unwrap(sequenceNumber)
        let gap = Int(delta - 1)
        guard gap > 0 else { return false }
        let limit = max(1, configuration.maxMissing)
        let overflow = missing.count + gap - limit
        if overflow > 0 {
            missing.removeFirst(min(overflow, missing.count))
            keyframePendingSince = keyframePendingSince ?? now
        }
        let firstAdded = max(highest + 1, extended - Int64(limit))
        for lost in firstAdded..<extended {
            missing.append(Missing(extendedSequenceNumber: lost, detectedAt: now, retries: 0, lastNACKedAt: nil))
        }
        return false
    }

    /// The NACK due at `now` (every missing packet not NACKed within `retryInterval`) and
    /// whether a keyframe is needed. Packets NACKed `maxRetries` times are dropped.
    public mutating func poll(now: MediaTime) -> Output {
        let interval = retryInterval
        var due: [UInt16] = []
        var keyframeNeeded = keyframePendingSince != nil
        keyframePendingSince = nil
        var kept = 0
        for index in missing.indices {
            var entry = missing[index]
            if let last = entry.lastNACKedAt, now - last < interval {
                missing[kept] = entry
                kept += 1
                continue
            }
            if entry.retries >= configuration.maxRetries {
                keyframeNeeded = true // given up: the frame cannot be completed
                continue
            }
            entry.retries += 1
            entry.lastNACKedAt = now
            due.append(UInt16(truncatingIfNeeded: entry.extendedSequenceNumber))
            missing[kept] = entry
            kept += 1
        }
        missing.removeLast(missing.count - kept)
        let nack = due.isEmpty ? nil : GenericNACK(senderSSRC: senderSSRC, mediaSSRC: mediaSSRC, sequenceNumbers: due)
        return Output(nack: nack, keyframeNeeded: keyframeNeeded)
    }

    /// When `poll` next has something to do; nil when nothing is missing or pending.
    public var nextDeadline: MediaTime? {
        let interval = retryInterval
        let next = missing.lazy.map { $0.lastNACKedAt.map { $0 + interval } ?? $0.detectedAt }.min()
        switch (next, keyframePendingSince) {
        case (let next?, let pending?): return min(next, pending)
        case (let next, let pending): return next ?? pending
        }
    }

    private func indexOfMissing(_ extended: Int64) -> Int? {
        var low = 0
        var high = missing.count
        while low < high {
            let mid = (low + high) / 2
            if missing[mid].extendedSequenceNumber < extended { low = mid + 1 } else { high = mid }
        }
        return low < missing.count && missing[low].extendedSequenceNumber == extended ? low : nil
    }
}
