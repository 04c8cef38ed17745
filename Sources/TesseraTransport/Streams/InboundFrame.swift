/// A complete encoded frame from a peer, depacketized and in order: what the room mixer
/// decodes. Opus frames are one packet; VP8 frames and H.264 access units may span many.
public struct InboundFrame: Sendable, Equatable {
    public enum Codec: String, Sendable { case opus, vp8, h264 }

    public let codec: Codec
    public let ssrc: UInt32
    /// The sender's RTP timestamp (48 kHz audio, 90 kHz video).
    public let rtpTimestamp: UInt32
    /// When the frame's last packet arrived (media port time).
    public let arrival: Duration
    public let isKeyframe: Bool
    /// RFC 6464 level in -dBov (0 loudest, 127 silence) with the voice flag, when sent.
    public let audioLevel: UInt8?
    public let voiceActivity: Bool?
    /// The encoded bytes: an Opus packet, a VP8 frame, or an Annex-B H.264 access unit.
    public let data: [UInt8]

    public init(
        codec: Codec, ssrc: UInt32, rtpTimestamp: UInt32, arrival: Duration, isKeyframe: Bool, audioLevel: UInt8? = nil,
        voiceActivity: Bool? = nil, data: [UInt8]
    ) {
        self.codec = codec
        self.ssrc = ssrc
        self.rtpTimestamp = rtpTimestamp
        self.arrival = arrival
        self.isKeyframe = isKeyframe
        self.audioLevel = audioLevel
        self.voiceActivity = voiceActivity
        self.data = data
    }

    public var isAudio: Bool { codec == .opus }
}
