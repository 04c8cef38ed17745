public import TesseraTransport

/// What the mixer needs to know of a participant's media: what it sends into the mix and
/// what it receives of the mixed stream.
public struct MixerParticipant: Sendable, Equatable {
    public let id: String
    /// A publisher has a tile (a placeholder when it sends no video); a viewer has none.
    public let isPublisher: Bool
    /// It receives the mixed audio / the composite.
    public let receivesAudio: Bool
    public let receivesVideo: Bool

    public init(id: String, isPublisher: Bool, receivesAudio: Bool, receivesVideo: Bool) {
        self.id = id
        self.isPublisher = isPublisher
        self.receivesAudio = receivesAudio
        self.receivesVideo = receivesVideo
    }

    /// From a session's negotiated sections. The composite is VP8 only, so a peer that
    /// negotiated another video codec receives audio alone.
    public init(id: String, isPublisher: Bool, negotiation: Negotiation) {
        self.init(
            id: id, isPublisher: isPublisher,
            receivesAudio: negotiation.media.contains { $0.kind == .audio && $0.sends },
            receivesVideo: negotiation.media.contains { $0.kind == .video && $0.sends && $0.codec.name.lowercased() == "vp8" })
    }
}
