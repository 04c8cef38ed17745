public import TesseraWire

/// Decides when RTCP goes out on one peer transport and builds the datagrams.
///
/// Simplified for point-to-point WebRTC (two members, both senders):
/// - Regular compound reports (RFC 3550 §6.1): every `reportInterval` (about 1 s for
///   video, up to 5 s for audio-only) scaled by a uniform 0.5...1.5 factor (§6.3.1); the
///   first one after half an interval (§6.2 "initial"). Reconsideration and the e-3/2
///   compensation are left out.
/// - Early feedback (RFC 4585 §3.5): NACK/PLI/FIR/TWCC may go at once when `allow_early`
///   holds. Allow-early slots are `feedbackInterval` apart, the AVPF interval T from the
///   RTCP bandwidth and the average RTCP size (§6.3.1 with n = 2, no 5 s minimum, AVPF
///   §3.4), randomized 0.5...1.5. After an early packet, the next slot is pushed back one
///   interval (tn = tp + 2T, §3.5.2) and feedback waits for it; a regular report opens a
///   new slot (§3.5.3).
/// - Packets: regular = SR (per sending SSRC, the first carrying the report blocks; more
///   than 31 blocks continue in RRs) or RR, then SDES with a CNAME chunk per SSRC, then
///   any feedback (RFC 4585 §3.1). Early feedback is the feedback alone when `rtcp-rsize`
///   was negotiated (RFC 5506 §3), else wrapped as RR + SDES + feedback.
///
/// Datagram size is not checked against the path MTU; keep feedback lists short.
public struct RTCPReportScheduler: Sendable {
    /// UDP + IPv4 header bytes counted in the average RTCP size (RFC 3550 §6.2).
    public static let lowerLayerOverhead = 28

    public struct Configuration: Sendable {
        /// SSRC of our RR and of feedback when we send no media on this transport.
        public var localSSRC: UInt32
        public var cname: String
        public var reportInterval: Duration = .seconds(1)
        /// RTCP bandwidth in bits/s (RFC 3550 §6.2: 5% of the session bandwidth).
        public var rtcpBandwidth = 75_000
        /// `a=rtcp-rsize` negotiated (RFC 5506).
        public var reducedSize = false
        /// Seed of the interval randomization; nil picks a random one.
        public var seed: UInt64?

        public init(localSSRC: UInt32, cname: String) {
            self.localSSRC = localSSRC
            self.cname = cname
        }
    }

    /// When pending feedback may be sent.
    public enum FeedbackTiming: Sendable, Equatable {
        case now
        /// Not before this time (the next allow-early slot).
        case at(MediaTime)
    }

    public let configuration: Configuration
    /// When the next regular report is due.
    public private(set) var nextReportAt: MediaTime
    /// Average size of the RTCP packets we sent, lower layers included (§6.3.3).
    public private(set) var averagePacketSize: Double = 100

    private var slotStart: MediaTime
    private var nextSlot: MediaTime
    private var allowEarly = true
    private var random: IntervalRandom

    public init(configuration: Configuration, now: MediaTime) {
        var random = IntervalRandom(seed: configuration.seed ?? .random(in: 0...UInt64.max))
        self.nextReportAt = now + random.randomized(configuration.reportInterval) / 2
        self.random = random
        self.configuration = configuration
        self.slotStart = now
        self.nextSlot = now
    }

    /// The AVPF interval T: 2 members × average size / RTCP bandwidth.
    public var feedbackInterval: Duration {
        let bandwidth = Double(max(1, configuration.rtcpBandwidth)) / 8
        return .microseconds(Int64(2 * averagePacketSize / bandwidth * 1_000_000))
    }

    public func isReportDue(now: MediaTime) -> Bool { now >= nextReportAt }

    /// Whether feedback may go out now or must wait (then send it at the given time, or
    /// with the next regular report if that comes first).
    public mutating func feedbackTiming(now: MediaTime) -> FeedbackTiming {
        advanceSlots(now: now)
        return allowEarly ? .now : .at(nextSlot)
    }

    /// The next time something may be due: the regular report, or the next slot while
    /// early feedback is blocked.
    public var nextWakeup: MediaTime { allowEarly ? nextReportAt : min(nextReportAt, nextSlot) }

    /// Builds the regular compound report and schedules the next one. `senderReports`:
    /// one per SSRC we sent on recently (empty: an RR from `localSSRC`).
    public mutating func makeReport(
        now: MediaTime,
        senderReports: [SenderReport],
        reportBlocks: [ReportBlock],
        feedback: [RTCPPacket] = []
    ) -> [UInt8] {
        let bytes = Self.compoundPacket(
            senderReports: senderReports, localSSRC: configuration.localSSRC, cname: configuration.cname,
            reportBlocks: reportBlocks, feedback: feedback)
        recordSent(size: bytes.count)
        nextReportAt = now + random.randomized(configuration.reportInterval)
        slotStart = now
        nextSlot = now + random.randomized(feedbackInterval)
        allowEarly = true
        return bytes
    }

    /// Builds an early feedback packet (call when `feedbackTiming` says `.now`, or at the
    /// time it named) and uses up the allow-early slot.
    public mutating func makeFeedback(now: MediaTime, feedback: [RTCPPacket], reportBlocks: [ReportBlock] = []) -> [UInt8] {
        advanceSlots(now: now)
        if allowEarly {
            allowEarly = false
            nextSlot = nextSlot + (nextSlot - slotStart) // tn = tp + 2T
        }
        var bytes: [UInt8] = []
        if configuration.reducedSize {
            RTCPCompoundPacket.serialize(feedback, into: &bytes)
        } else {
            bytes = Self.compoundPacket(
                senderReports: [], localSSRC: configuration.localSSRC, cname: configuration.cname,
                reportBlocks: reportBlocks, feedback: feedback)
        }
        recordSent(size: bytes.count)
        return bytes
    }

    /// The packets of a full compound RTCP packet (RFC 3550 §6.1, RFC 4585 §3.1).
    public static func compoundPackets(
        senderReports: [SenderReport],
        localSSRC: UInt32,
        cname: String,
        reportBlocks: [ReportBlock],
        feedback: [RTCPPacket]
    ) -> [RTCPPacket] {
        var packets: [RTCPPacket] = []
        let perPacket = ReceiverReport.maxReportBlocks
        var remaining = reportBlocks[...]
        let reporterSSRC: UInt32
        if var first = senderReports.first {
            first.reportBlocks = Array(remaining.prefix(perPacket))
            remaining = remaining.dropFirst(perPacket)
            packets.append(.senderReport(first))
            reporterSSRC = first.ssrc
        } else {
            packets.append(.receiverReport(ReceiverReport(ssrc: localSSRC, reportBlocks: Array(remaining.prefix(perPacket)))))
            remaining = remaining.dropFirst(perPacket)
            reporterSSRC = localSSRC
        }
        while !remaining.isEmpty {
            packets.append(.receiverReport(ReceiverReport(ssrc: reporterSSRC, reportBlocks: Array(remaining.prefix(perPacket)))))
            remaining = remaining.dropFirst(perPacket)
        }
        for var report in senderReports.dropFirst() {
            report.reportBlocks = []
            packets.append(.senderReport(report))
        }
        // One single-chunk SDES per SSRC rather than one SDES with a chunk each: both are
        // RFC 3550 §6.5, but aiortc 1.16 misreads the padding between chunks and drops the
        // whole compound packet (SRs, PLI, NACK with it). The peer wins.
        let ssrcs = senderReports.isEmpty ? [localSSRC] : senderReports.map(\.ssrc)
        for ssrc in ssrcs.prefix(SourceDescription.maxChunks) {
            packets.append(.sourceDescription(SourceDescription(chunks: [SourceDescription.Chunk(ssrc: ssrc, cname: cname)])))
        }
        packets.append(contentsOf: feedback)
        return packets
    }

    /// `compoundPackets` serialized.
    public static func compoundPacket(
        senderReports: [SenderReport],
        localSSRC: UInt32,
        cname: String,
        reportBlocks: [ReportBlock],
        feedback: [RTCPPacket]
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        RTCPCompoundPacket.serialize(
            compoundPackets(
                senderReports: senderReports, localSSRC: localSSRC, cname: cname,
                reportBlocks: reportBlocks, feedback: feedback),
            into: &bytes)
        return bytes
    }

    /// RFC 4585 §3.5.3: on reaching tn, allow early feedback again and start the next slot.
    private mutating func advanceSlots(now: MediaTime) {
        guard now >= nextSlot else { return }
        slotStart = nextSlot
        nextSlot = slotStart + random.randomized(feedbackInterval)
        if now >= nextSlot { // slept through several slots
            slotStart = now
            nextSlot = now + random.randomized(feedbackInterval)
        }
        allowEarly = true
    }

    /// RFC 3550 §6.3.3: avg_rtcp_size = 1/16 × size + 15/16 × avg_rtcp_size.
    private mutating func recordSent(size: Int) {
        averagePacketSize += (Double(size + Self.lowerLayerOverhead) - averagePacketSize) / 16
    }
}
