public import TesseraWire

/// What one receiver can take, from its REMB or transport-cc feedback. Deliberately
/// simple (not GCC):
///
/// - REMB (draft-alvestrand-rmcat-remb): the receiver's estimate is used as is.
/// - Transport-cc: each feedback is matched against `TransportSequenceRecorder`. Over the
///   feedback received in the last `window`, the delivery rate is the bytes acknowledged
///   (all but the earliest-arriving packet) divided by the span of their arrival times on
///   the receiver's clock, and the loss fraction is lost / reported. The estimate is the
///   delivery rate scaled by the loss-based rule of draft-ietf-rmcat-gcc-02 §6: × 1.08
///   below 2% loss (room to grow), × 1 up to 10%, × (1 - 0.5 × loss) above.
///
/// `estimatedBitrate` follows whichever kind of feedback arrived last.
public struct BandwidthEstimate: Sendable {
    public enum Source: Sendable, Equatable {
        case remb
        case transportFeedback
    }

    public struct Configuration: Sendable {
        public var window: Duration = .seconds(1)
        /// Shorter arrival spans give no delivery rate (too noisy).
        public var minimumSpan: Duration = .milliseconds(20)
        /// Feedback packets remembered for the window.
        public var maxSamples = 64

        public init() {}
    }

    /// The outcome of one transport-cc feedback packet.
    public struct FeedbackSummary: Sendable, Equatable {
        /// Reported received and acknowledged for the first time, in sequence order.
        public var acknowledged: [UInt16] = []
        /// Reported not received.
        public var lost: [UInt16] = []
        public var acknowledgedBytes = 0
        /// Reported numbers the recorder does not know (too old, or acknowledged before).
        public var unknownCount = 0
    }

    private struct Sample: Sendable {
        var receivedAt: MediaTime
        var received: Int
        var lost: Int
        var bytes: Int
        var earliestArrival: Int64
        var earliestArrivalBytes: Int
        var latestArrival: Int64
    }

    public let configuration: Configuration
    public private(set) var estimatedBitrate: UInt64?
    /// Lost / reported over the window (transport-cc only; 0 without it).
    public private(set) var lossFraction: Double = 0
    public private(set) var source: Source?
    /// When `estimatedBitrate` last changed.
    public private(set) var updatedAt: MediaTime?
    public private(set) var rembBitrate: UInt64?
    /// Delivery rate in bits/s over the window; nil until the span is long enough.
    public private(set) var deliveryRate: UInt64?

    private var samples: [Sample]
    private var nextSample = 0
    /// The last reference time, unwrapped, in 64 ms units.
    private var referenceUnits: Int64?

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.samples = []
        self.samples.reserveCapacity(max(1, configuration.maxSamples))
    }

    public mutating func receivedREMB(_ remb: REMB, now: MediaTime) {
        rembBitrate = remb.bitrate
        estimatedBitrate = remb.bitrate
        source = .remb
        updatedAt = now
    }

    /// Matches `feedback` against the send record and updates the estimate.
    @discardableResult
    public mutating func receivedTransportFeedback(
        _ feedback: TransportWideFeedback, recorder: inout TransportSequenceRecorder, now: MediaTime
    ) -> FeedbackSummary {
        var summary = FeedbackSummary()
        var arrival = unwrapReference(feedback.referenceTime) * TransportWideFeedback.referenceTimeUnitMicroseconds
        var sample = Sample(
            receivedAt: now, received: 0, lost: 0, bytes: 0,
            earliestArrival: .max, earliestArrivalBytes: 0, latestArrival: .min)
        for status in feedback.packets {
            guard let delta = status.deltaMicroseconds else {
                if recorder.sentPacket(status.sequenceNumber) != nil {
                    summary.lost.append(status.sequenceNumber)
                    sample.lost += 1
                } else {
                    summary.unknownCount += 1
                }
                continue
            }
            arrival += Int64(delta)
            guard let sent = recorder.acknowledge(status.sequenceNumber) else {
                summary.unknownCount += 1
                continue
            }
            summary.acknowledged.append(status.sequenceNumber)
            summary.acknowledgedBytes += sent.size
            sample.received += 1
            sample.bytes += sent.size
            if arrival < sample.earliestArrival {
                sample.earliestArrival = arrival
                sample.earliestArrivalBytes = sent.size
            }
            sample.latestArrival = max(sample.latestArrival, arrival)
        }
        if sample.received + sample.lost > 0 { append(sample) }
        update(now: now)
        return summary
    }

    private mutating func append(_ sample: Sample) {
        if samples.count < max(1, configuration.maxSamples) {
            samples.append(sample)
        } else {
            samples[nextSample] = sample
            nextSample = (nextSample + 1) % samples.count
        }
    }

    private mutating func update(now: MediaTime) {
        let since = now - configuration.window
        var received = 0
        var lost = 0
        var bytes = 0
        var earliest = Int64.max
        var earliestBytes = 0
        var latest = Int64.min
        for sample in samples where sample.receivedAt >= since {
            received += sample.received
            lost += sample.lost
            guard sample.received > 0 else { continue }
            bytes += sample.bytes
            if sample.earliestArrival < earliest {
                earliest = sample.earliestArrival
                earliestBytes = sample.earliestArrivalBytes
            }
            latest = max(latest, sample.latestArrival)
        }
        lossFraction = received + lost == 0 ? 0 : Double(lost) / Double(received + lost)
        let span = received > 1 ? latest - earliest : 0
        if span > 0, span >= configuration.minimumSpan.microseconds {
            deliveryRate = UInt64(Double(bytes - earliestBytes) * 8 * 1_000_000 / Double(span))
        }
        guard let deliveryRate else { return }
        let factor = lossFraction < 0.02 ? 1.08 : lossFraction <= 0.10 ? 1.0 : 1 - 0.5 * lossFraction
        estimatedBitrate = UInt64(Double(deliveryRate) * factor)
        source = .transportFeedback
        updatedAt = now
    }

    /// Extends the signed 24-bit reference time (64 ms units) across its wrap.
    private mutating func unwrapReference(_ referenceTime: Int32) -> Int64 {
        let raw = Int64(referenceTime) & 0xFF_FFFF
        guard let last = referenceUnits else {
            referenceUnits = Int64(referenceTime)
            return Int64(referenceTime)
        }
        var delta = (raw - (last & 0xFF_FFFF)) & 0xFF_FFFF
        if delta > 0x7F_FFFF { delta -= 0x100_0000 }
        let unwrapped = last + delta
        referenceUnits = unwrapped
        return unwrapped
    }
}
