/// Packet counters of the media port, kept on its event loop (no atomics on the packet
/// path) and read as a snapshot.
public struct TransportCounters: Sendable, Equatable {
    /// Datagrams received, by what RFC 7983 says they are.
    public var stunIn = 0
    public var dtlsIn = 0
    public var rtpIn = 0
    public var rtcpIn = 0
    /// RTP/RTCP that decrypted and parsed.
    public var rtpDecrypted = 0
    public var rtcpDecrypted = 0
    public var bytesIn = 0
    public var datagramsOut = 0
    /// Flushes that sent pending datagrams: each leaves as one sendmmsg (a lone datagram as
    /// one sendmsg), so datagramsOut / sendBatches is how many a system call carried.
    public var sendBatches = 0
    public var bytesOut = 0
    /// Complete frames handed to the room.
    public var framesIn = 0
    /// RTP packets we sent (first transmissions) and retransmitted on NACK.
    public var rtpOut = 0
    public var retransmissionsOut = 0
    /// RTCP feedback in both directions.
    public var nacksIn = 0
    public var nacksOut = 0
    public var keyframeRequestsIn = 0
    public var keyframeRequestsOut = 0
    /// Retransmitted packets the peer sent us (RTX or repeated sequence numbers).
    public var retransmissionsIn = 0
    /// Dropped datagrams by reason.
    public var dropped: [DropReason: Int] = [:]

    public init() {}

    public enum DropReason: String, Sendable, CaseIterable, Hashable {
        case unknownClass = "unknown-class"
        case malformedSTUN = "malformed-stun"
        case stunRejected = "stun-rejected"
        case unknownSession = "unknown-session"
        case dtlsBeforeICE = "dtls-before-ice"
        case notConnected = "not-connected"
        case srtpFailed = "srtp-failed"
        case malformedRTP = "malformed-rtp"
        case malformedRTCP = "malformed-rtcp"
        case tooLarge = "too-large"
    }

    mutating func drop(_ reason: DropReason) { dropped[reason, default: 0] += 1 }

    public var droppedTotal: Int { dropped.values.reduce(0, +) }
}
