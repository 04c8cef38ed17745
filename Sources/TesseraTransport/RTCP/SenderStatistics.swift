public import TesseraWire

/// Send statistics of one outbound SSRC, producing its sender report (RFC 3550 §6.4.1).
///
/// The caller maps its room clock to NTP and RTP time: it passes the NTP time of "now" and
/// the RTP timestamp corresponding to that same instant, so audio and video SRs of one
/// room share a timeline (lip sync at the receiver).
public struct SenderStatistics: Sendable {
    public let ssrc: UInt32
    /// Packets sent, mod 2^32 (SR sender's packet count).
    public private(set) var packetCount: UInt32 = 0
    /// Payload octets sent (no header or padding), mod 2^32 (SR sender's octet count).
    public private(set) var octetCount: UInt32 = 0
    public private(set) var lastPacketSentAt: MediaTime?

    public init(ssrc: UInt32) {
        self.ssrc = ssrc
    }

    public mutating func packetSent(payloadLength: Int, at now: MediaTime) {
        packetCount &+= 1
        octetCount &+= UInt32(truncatingIfNeeded: max(0, payloadLength))
        lastPacketSentAt = now
    }

    public mutating func packetSent(_ packet: RTPPacket, at now: MediaTime) {
        packetSent(payloadLength: packet.payloadRange.count, at: now)
    }

    /// RFC 3550 §6.3.8: we count as a sender while we sent within `window` (two report
    /// intervals); otherwise an RR is due instead of an SR.
    public func isSender(now: MediaTime, window: Duration = .seconds(2)) -> Bool {
        guard let last = lastPacketSentAt else { return false }
        return now - last <= window
    }

    /// The SR for `ntpTime` and the RTP timestamp of the same instant.
    public func makeSenderReport(ntpTime: NTPTime, rtpTimestamp: UInt32, reportBlocks: [ReportBlock] = []) -> SenderReport {
        SenderReport(
            ssrc: ssrc,
            ntpTimestamp: ntpTime.rawValue,
            rtpTimestamp: rtpTimestamp,
            packetCount: packetCount,
            octetCount: octetCount,
            reportBlocks: reportBlocks)
    }

    /// RTT from a report block about this SSRC (RFC 3550 §6.4.1: A - LSR - DLSR in 16.16
    /// NTP units), received at `arrival`. Nil when the block has no LSR or the result is
    /// negative (clock trouble).
    public static func roundTripTime(from block: ReportBlock, receivedAt arrival: NTPTime) -> Duration? {
        guard block.lastSenderReport != 0 else { return nil }
        let rtt = arrival.middle32 &- block.lastSenderReport &- block.delaySinceLastSenderReport
        guard Int32(bitPattern: rtt) >= 0 else { return nil }
        return NTPTime.duration(fromMiddle32Units: rtt)
    }
}
