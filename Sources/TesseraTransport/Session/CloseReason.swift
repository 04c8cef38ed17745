/// Why a peer session ended; maps onto the `leaveReason` of API.md.
public enum CloseReason: String, Sendable, Equatable {
    /// The client sent DELETE on its session URL.
    case left
    /// An admin kicked the participant.
    case kicked
    /// No valid connectivity check for 30 s (RFC 7675 consent), or the handshake never finished.
    case timeout
    /// The room was deleted.
    case roomDeleted = "room-deleted"
    /// The server is stopping.
    case shutdown
    /// DTLS failed (e.g. the certificate did not match the SDP fingerprint).
    case dtlsFailed = "dtls-failed"
}
