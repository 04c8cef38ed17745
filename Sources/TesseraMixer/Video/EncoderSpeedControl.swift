/// Keeps the video tick inside its frame interval by trading encode quality for time
/// (issue 7: "speed (cpu-used) adapted to the measured tick budget").
///
/// The room encodes at a fixed speed level (`MixerSettings.encoderSpeed`), so its cost does
/// not follow the machine's load by itself; this is what does, on the room's own measure.
/// Tick durations are smoothed; when they fill more than `high` of the interval the
/// encoder gets faster (speed + 4, up to 16), and when they fall under `low` it steps
/// back (− 2) towards the room's setting. Each change waits `settle` ticks before the
/// next, so one slow tick does not swing it. A value type: durations are passed in.
public struct EncoderSpeedControl: Sendable {
    public var high = 0.6
    public var low = 0.3
    public var settle = 30
    private var load: Double?
    private var ticksSinceChange = 0

    public init() {}

    /// Takes one tick's duration; returns the new speed level when it should change.
    public mutating func observe(tick: Duration, interval: Duration, current: Int, configured: Int) -> Int? {
        // One very long tick (a page fault, a GC'd neighbour) counts as 1.5 intervals at most.
        let share = min(tick / interval, 1.5)
        load = load.map { $0 + 0.1 * (share - $0) } ?? share
        ticksSinceChange += 1
        guard let load, ticksSinceChange >= settle else { return nil }
        let fastest = MixerSettings.encoderSpeeds.upperBound
        if load > high, current < fastest {
            ticksSinceChange = 0
            return min(fastest, current + 4)
        }
        if load < low, current > configured {
            ticksSinceChange = 0
            return max(configured, current - 2)
        }
        return nil
    }
}
