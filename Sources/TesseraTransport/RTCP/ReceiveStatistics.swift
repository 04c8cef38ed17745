public import TesseraWire

/// Reception statistics of one inbound SSRC, producing its report block for our SR/RR
/// (RFC 3550 §6.4.1).
///
/// Sequence tracking follows RFC 3550 §A.1 without probation: a jump of `maxDropout` or
/// more is discarded unless the next packet continues it (then the source is taken to have
/// restarted); lost and fraction lost follow §A.3; jitter follows §6.4.1/§A.8 in RTP
/// timestamp units from the arrival time. Like libwebrtc, jitter is only updated for
/// original (non-RTX) packets whose timestamp differs from the previous one's, so the
/// pacing of one frame's packets does not count as jitter.
public struct ReceiveStatistics: Sendable {
    public static let maxDropout: UInt16 = 3000
    public static let maxMisorder: UInt16 = 100

    /// What an SR from this source told us, for LSR/DLSR and for lip sync.
    public struct LastSenderReport: Sendable, Equatable {
        public var ntpTime: NTPTime
        public var rtpTimestamp: UInt32
        public var receivedAt: MediaTime
    }

    public let ssrc: UInt32
    /// RTP clock rate of the stream (90000 video, 48000 Opus).
    public let clockRate: Int

    public private(set) var lastSenderReport: LastSenderReport?
    /// Packets counted as received (duplicates included, RFC 3550 §6.4.1).
    public private(set) var packetsReceived: Int64 = 0

    private var started = false
    private var maxSequenceNumber: UInt16 = 0
    private var cycles: Int64 = 0
    private var baseSequenceNumber: Int64 = 0
    private var badSequenceNumber: Int = 0x1_0001
    private var expectedPrior: Int64 = 0
    private var receivedPrior: Int64 = 0
    private var lastTransit: UInt32?
    private var lastJitterTimestamp: UInt32?
    /// J in timestamp units, unscaled (the §6.4.1 floating-point form).
    private var jitterValue: Double = 0

    public init(ssrc: UInt32, clockRate: Int) {
        self.ssrc = ssrc
        self.clockRate = max(1, clockRate)
    }

    /// Cycles count << 16 | highest sequence number received.
    public var extendedHighestSequenceNumber: UInt32 {
        UInt32(truncatingIfNeeded: cycles << 16 | Int64(maxSequenceNumber))
    }

    /// Expected minus received since the first packet (may be negative with duplicates).
    public var cumulativeLost: Int64 {
        guard started else { return 0 }
        return expected - packetsReceived
    }

    /// Interarrival jitter estimate in timestamp units.
    public var jitter: Double { jitterValue }

    private var expected: Int64 { (cycles << 16 | Int64(maxSequenceNumber)) - baseSequenceNumber + 1 }

    /// Convenience for a parsed header.
    @discardableResult
    public mutating func packetReceived(_ header: RTPHeader, at arrival: MediaTime, isRetransmission: Bool = false) -> Bool {
        packetReceived(sequenceNumber: header.sequenceNumber, timestamp: header.timestamp, at: arrival, isRetransmission: isRetransmission)
    }

    /// Counts one packet. `isRetransmission`: repaired through RTX (counted, no jitter).
    /// Returns false when the packet was discarded as a possible restart (§A.1).
    @discardableResult
    public mutating func packetReceived(
        sequenceNumber: UInt16, timestamp: UInt32, at arrival: MediaTime, isRetransmission: Bool = false
    ) -> Bool {
        if !started {
            restart(at: sequenceNumber)
            started = true
        } else {
            let delta = sequenceNumber &- maxSequenceNumber
            if delta < Self.maxDropout {
                if sequenceNumber < maxSequenceNumber { cycles += 1 }
                maxSequenceNumber = sequenceNumber
            } else if delta <= UInt16.max - Self.maxMisorder + 1 {
                // A very large jump: accept it only if the next packet follows it.
                guard Int(sequenceNumber) == badSequenceNumber else {
                    badSequenceNumber = Int(sequenceNumber &+ 1)
                    return false
                }
                restart(at: sequenceNumber)
            }
            // else: duplicate or reordered, counted below.
        }
        packetsReceived += 1
        if !isRetransmission { updateJitter(timestamp: timestamp, arrival: arrival) }
        return true
    }

    /// Remembers an SR from this source for the LSR/DLSR fields.
    public mutating func senderReportReceived(_ report: SenderReport, at arrival: MediaTime) {
        lastSenderReport = LastSenderReport(
            ntpTime: NTPTime(rawValue: report.ntpTimestamp), rtpTimestamp: report.rtpTimestamp, receivedAt: arrival)
    }

    /// The report block for this source at `now`; nil before the first packet. Starts a
    /// new interval for the fraction-lost computation (§A.3).
    public mutating func makeReportBlock(now: MediaTime) -> ReportBlock? {
        guard started else { return nil }
        let expected = self.expected
        let expectedInterval = expected - expectedPrior
        let receivedInterval = packetsReceived - receivedPrior
        expectedPrior = expected
        receivedPrior = packetsReceived
        let lostInterval = expectedInterval - receivedInterval
        let fraction: UInt8 = expectedInterval <= 0 || lostInterval <= 0
            ? 0 : UInt8(min(255, (lostInterval << 8) / expectedInterval))
        let range = ReportBlock.cumulativeLostRange
        let cumulative = Int32(min(max(expected - packetsReceived, Int64(range.lowerBound)), Int64(range.upperBound)))

        var lsr: UInt32 = 0
        var dlsr: UInt32 = 0
        if let sr = lastSenderReport {
            lsr = sr.ntpTime.middle32
            let elapsed = max(0, (now - sr.receivedAt).microseconds)
            dlsr = UInt32(min(elapsed * 65536 / 1_000_000, Int64(UInt32.max)))
        }
        return ReportBlock(
            ssrc: ssrc,
            fractionLost: fraction,
            cumulativeLost: cumulative,
            extendedHighestSequenceNumber: extendedHighestSequenceNumber,
            jitter: UInt32(min(jitterValue, Double(UInt32.max))),
            lastSenderReport: lsr,
            delaySinceLastSenderReport: dlsr)
    }

    private mutating func restart(at sequenceNumber: UInt16) {
        maxSequenceNumber = sequenceNumber
        cycles = 0
        baseSequenceNumber = Int64(sequenceNumber)
        badSequenceNumber = 0x1_0001
        packetsReceived = 0
        expectedPrior = 0
        receivedPrior = 0
    }

    /// RFC 3550 §6.4.1: D = (Rj - Ri) - (Sj - Si) in timestamp units, J += (|D| - J) / 16.
    private mutating func updateJitter(timestamp: UInt32, arrival: MediaTime) {
        guard timestamp != lastJitterTimestamp else { return }
        lastJitterTimestamp = timestamp
        // Arrival time in timestamp units; split to avoid overflow on long-running clocks.
        let micros = arrival.microseconds
        let rate = Int64(clockRate)
        let units = micros / 1_000_000 &* rate &+ (micros % 1_000_000) * rate / 1_000_000
        let transit = UInt32(truncatingIfNeeded: units) &- timestamp
        if let lastTransit {
            let d = Int32(bitPattern: transit &- lastTransit)
            jitterValue += (Double(d.magnitude) - jitterValue) / 16
        }
        lastTransit = transit
    }
}
