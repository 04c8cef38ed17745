/// A WebRTC peer connected through the media port: the handle a room (and the REST API)
/// holds. Events arrive on `events`; the session ends with one `.closed` event.
public final class PeerSession: Sendable {
    public let id: String
    public let negotiation: Negotiation
    public let events: AsyncStream<PeerSessionEvent>
    /// Complete encoded frames the peer sends, in order, depacketized.
    public let frames: AsyncStream<InboundFrame>
    private let port: MediaPort

    init(
        id: String, negotiation: Negotiation, events: AsyncStream<PeerSessionEvent>, frames: AsyncStream<InboundFrame>,
        port: MediaPort
    ) {
        self.id = id
        self.negotiation = negotiation
        self.events = events
        self.frames = frames
        self.port = port
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
