/// What a room's mixer did since it started (exported per room on `/metrics`).
public struct MixerCounters: Sendable, Equatable {
    public var audioTicks = 0
    public var videoTicks = 0
    /// Opus packets decoded from inputs; input audio ticks (10 ms) filled by packet-loss
    /// concealment.
    public var audioFramesDecoded = 0
    public var audioFramesConcealed = 0
    /// Decoded ticks of input audio dropped to keep an input's audio from lagging its video.
    public var audioFramesDropped = 0
    public var videoFramesDecoded = 0
    /// Composites encoded (one per video tick with receivers), and mixes encoded.
    public var videoFramesEncoded = 0
    public var keyframesEncoded = 0
    /// Keyframes forced for receivers (joins, PLI/FIR), at most one per 500 ms.
    public var keyframesForced = 0
    public var sharedAudioEncodes = 0
    public var personalAudioEncodes = 0
    /// Input frames that arrived after their playout time (dropped).
    public var lateFrames = 0
    /// Input video frames not decoded because their tile was hidden (video-muted).
    public var hiddenVideoFrames = 0
    /// Input video frames skipped while waiting for a keyframe; decode and encode failures.
    public var skippedVideoFrames = 0
    public var decodeErrors = 0
    public var encodeErrors = 0
    /// Moves of the video ticks to follow the inputs' frames (`VideoTickAlignment`).
    public var videoTickMoves = 0

    public init() {}
}
