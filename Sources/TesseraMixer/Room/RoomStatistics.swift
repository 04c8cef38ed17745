/// A room's mixer as `/metrics` and the tests see it.
public struct RoomStatistics: Sendable, Equatable {
    public let roomId: String
    public let participants: Int
    public let counters: MixerCounters
    public let audioTicks: TickHistogram
    public let videoTicks: TickHistogram
    /// From an input frame's last packet arriving to the first mix with it leaving.
    public let audioLatency: TickHistogram
    public let videoLatency: TickHistogram
    /// CPU time of the room's threads (its own: decoding and mixing; its encode thread), seconds.
    public let cpuSeconds: Double
    /// Ticks the room ran late by more than a whole interval and skipped.
    public let skippedTicks: Int
    /// The VP8 encoder's speed level now (raised from the room's setting when ticks run long).
    public let encoderSpeed: Int
    /// Input frames dropped because the room fell more than its inbox behind.
    public let inboxDropped: Int
    /// The longest playout delay among the room's inputs (jitter delay plus lip-sync
    /// wait), by kind: what the room holds frames back before mixing them.
    public let playoutDelay: RoomMixer.PlayoutDelay
}
