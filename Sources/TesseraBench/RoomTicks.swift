import TesseraMixer

/// A room's audio (`MixerSettings.audioInterval`) and video (1/fps) ticks over `duration` of room time, in time
/// order, one after the other as fast as the CPU allows (a manual clock: no waiting).
func forEachTick(for duration: Duration, frameInterval: Duration, _ body: (TickSchedule.Tick) throws -> Void) rethrows {
    var audioTick: Int64 = 1
    var videoTick: Int64 = 1
    while true {
        let audioAt = MixerSettings.audioInterval * audioTick
        let videoAt = frameInterval * videoTick
        guard min(audioAt, videoAt) <= duration else { return }
        if audioAt <= videoAt {
            try body(.audio(at: audioAt))
            audioTick += 1
        } else {
            try body(.video(at: videoAt))
            videoTick += 1
        }
    }
}

/// What the steady-state ticks of one kind cost: allocations, and the latency of the
/// input frames they carried (tick time minus arrival, plus the tick's processing time).
struct TickCost {
    private(set) var ticks = 0
    private(set) var allocations: UInt64 = 0
    private(set) var latencies: [Double] = []

    mutating func record(from before: Measurement, to after: Measurement, at tick: Duration, arrivals: [Duration]) {
        ticks += 1
        allocations += after.allocations - before.allocations
        let processing = after.wallSeconds - before.wallSeconds
        latencies += arrivals.map { (tick - $0).seconds + processing }
    }

    var allocationsPerTick: Double { Double(allocations) / Double(max(ticks, 1)) }
}
