/// A WebRTC peer connected through the media port: the handle a room (and the REST API)
/// holds. `events` and `frames` have one reader each (the room); anyone may wait for the
/// end with `closed()`. The session ends with one `.closed` event.
public final class PeerSession: Sendable {
    public let id: String
    public let negotiation: Negotiation
    public let events: AsyncStream<PeerSessionEvent>
    /// Complete encoded frames the peer sends, in order, depacketized.
    public let frames: AsyncStream<InboundFrame>
    private let closeSignal: CloseSignal
    private let port: MediaPort

    init(
        id: String, negotiation: Negotiation, events: AsyncStream<PeerSessionEvent>, frames: AsyncStream<InboundFrame>,
        closeSignal: CloseSignal, port: MediaPort
    ) {
        self.id = id
        self.negotiation = negotiation
        self.events = events
        self.frames = frames
        self.closeSignal = closeSignal
        self.port = port
    }

    /// Hands the peer's frames to `sink` as they complete, on the media port's event loop
    /// (keep it short: a lock and an append), instead of through `frames`: no task wakes
    /// per frame. `frames` then ends after what it had queued. Takes effect shortly (one
    /// hop to the event loop); a closed session ignores it.
    public func deliverFrames(to sink: @escaping @Sendable (InboundFrame) -> Void) {
        port.deliverFrames(sessionID: id, to: sink)
    }

    /// Returns when the session has ended, with the reason.
    public func closed() async -> CloseReason {
        await closeSignal.wait()
    }

    /// Ends the session; its events stream reports `.closed(reason)` and finishes.
    public func close(_ reason: CloseReason) async {
        await port.close(sessionID: id, reason: reason)
    }

    /// Sends an encoded frame: packetized with this peer's SSRC and sequence numbers,
    /// kept for NACK, SRTP-protected. False before the session connected or when the peer
    /// does not receive this kind.
    public func send(_ frame: OutboundFrame) async -> Bool {
        await port.send(frame, sessionID: id)
    }

    /// The peer's current ICE credentials (changed by an ICE restart).
    public func remoteICE() async -> ICECredentials? {
        await port.remoteICE(sessionID: id)
    }

    /// ICE restart (RFC 9725 §4.3.2): takes the peer's new credentials, returns ours.
    public func restartICE(remote: ICECredentials) async -> ICECredentials? {
        await port.restartICE(sessionID: id, remote: remote)
    }

    /// Decrypted RTP packets received so far, by SSRC.
    public func packetsReceived() async -> [UInt32: Int64] {
        await port.packetsReceived(sessionID: id)
    }
}
