/// What a peer session reports upward to its room (frames arrive on their own stream).
public enum PeerSessionEvent: Sendable, Equatable {
    /// ICE and DTLS completed; SRTP keys are installed.
    case connected
    /// The peer asked for a keyframe of what we send it (PLI/FIR, throttled to one per 500 ms).
    case keyframeRequested
    /// The peer's receive bandwidth estimate (REMB or transport-cc), bits per second.
    case bandwidthEstimate(UInt64)
    /// An RTCP sender report of the peer: maps its RTP time to its wall clock (lip-sync).
    case senderReport(ssrc: UInt32, ntp: NTPTime, rtpTimestamp: UInt32)
    /// The session ended; no event follows.
    case closed(CloseReason)
}
