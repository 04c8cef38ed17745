/// What a peer session reports upward to its room.
public enum PeerSessionEvent: Sendable, Equatable {
    /// ICE and DTLS completed; SRTP keys are installed.
    case connected
    /// The session ended; no event follows.
    case closed(CloseReason)
}
