/// A WebRTC peer connected through the media port: the handle a room (and the REST API)
/// holds. Events arrive on `events`; the session ends with one `.closed` event.
public final class PeerSession: Sendable {
    public let id: String
    public let negotiation: Negotiation
    public let events: AsyncStream<PeerSessionEvent>
    private let port: MediaPort

    init(id: String, negotiation: Negotiation, events: AsyncStream<PeerSessionEvent>, port: MediaPort) {
        self.id = id
        self.negotiation = negotiation
        self.events = events
        self.port = port
    }

    /// Ends the session; its events stream reports `.closed(reason)` and finishes.
    public func close(_ reason: CloseReason) async {
        await port.close(sessionID: id, reason: reason)
    }

    /// Sends a plaintext RTP packet, SRTP-protected; false before the session connected.
    public func sendRTP(_ packet: [UInt8]) async -> Bool {
        await port.sendRTP(packet, sessionID: id)
    }

    /// Decrypted RTP packets received so far, by SSRC.
    public func packetsReceived() async -> [UInt32: Int64] {
        await port.packetsReceived(sessionID: id)
    }
}
