/// An encoded frame for a peer: the room's mixed audio (an Opus packet) or video (a VP8
/// frame, or an Annex-B H.264 access unit for H.264-only peers), on the room clock.
public struct OutboundFrame: Sendable {
    public let kind: NegotiatedMedia.Kind
    /// 48 kHz for audio, 90 kHz for video, from the room clock.
    public let rtpTimestamp: UInt32
    public let data: [UInt8]
    /// RFC 6465 levels of the contributing sources (mixer-to-client audio), by CSRC.
    public let contributingSources: [(csrc: UInt32, level: UInt8)]
    /// The instant `rtpTimestamp` stands for, on the media port's clock (`MediaPort.now()`).
    /// Sender reports map NTP to RTP through it, so audio and video SRs share one clock
    /// however long encoding took; nil: the send time is used.
    public let captureTime: Duration?

    public init(
        kind: NegotiatedMedia.Kind, rtpTimestamp: UInt32, data: [UInt8], contributingSources: [(csrc: UInt32, level: UInt8)] = [],
        captureTime: Duration? = nil
    ) {
        self.kind = kind
        self.rtpTimestamp = rtpTimestamp
        self.data = data
        self.contributingSources = contributingSources
        self.captureTime = captureTime
    }
}
