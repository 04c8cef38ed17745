import Testing
import TesseraMixer

/// Mixer-added latency (issue 7): from an input frame's arrival to the first mix that
/// carries it, as `RoomMixer` reports it for `/metrics` and the benchmark.
@Suite struct MixerLatencyTests {
    private static func sorted(_ samples: [Duration]) -> [Double] {
        samples.map(\.seconds).sorted()
    }

    @Test func everyDecodedInputFrameIsTimedFromItsArrivalToItsMix() throws {
        let harness = try RoomMixerTests.threeParticipants()
        // On fixed ticks: moving them later shows two frames of each input at once, once.
        harness.alignsVideoTicks = false
        try harness.run(for: .seconds(3))
        let video = Self.sorted(harness.videoLatencies)
        let audio = Self.sorted(harness.audioLatencies)
        let counters = harness.mixer.counters
        // One sample per decoded frame: nothing is double-counted or missed.
        #expect(video.count == counters.videoFramesDecoded && video.count > 80)
        #expect(audio.count == counters.audioFramesDecoded && audio.count > 140)
        // Each 20 ms packet feeds two 10 ms ticks, with nothing concealed or dropped.
        #expect(counters.audioFramesConcealed == 0 && counters.audioFramesDropped == 0, "\(counters)")
        // No jitter here, so each is the 5 ms playout margin plus the wait for its tick:
        // video is shown at the nearest tick (±half a frame) but never before it arrived,
        // audio (20 ms packets) at the next 10 ms tick, which carries its first half.
        let frame = 1.0 / 30
        #expect(try #require(video.first) >= 0 && (try #require(video.last)) <= frame + 0.001, "\(video)")
        #expect(try #require(audio.first) >= 0.005 && (try #require(audio.last)) <= 0.005 + 0.010 + 1e-9, "\(audio)")
    }

    /// Whatever the senders' phase against the room's ticks, an audio packet waits at most
    /// one 10 ms tick after its playout time (with 20 ms ticks it waited up to 20).
    @Test func audioWaitsAtMostOneTenMillisecondTickWhateverItsPhase() throws {
        for phase in stride(from: 500, to: 20_000, by: 2_500) {
            let harness = try RoomMixerTests.threeParticipants()
            harness.audioPhase = .microseconds(phase)
            try harness.run(for: .seconds(1))
            let audio = Self.sorted(harness.audioLatencies)
            let worst = try #require(audio.last)
            #expect(audio.count > 40 && worst <= 0.005 + 0.010 + 1e-9, "phase \(phase) µs: \(audio.suffix(3))")
            #expect(harness.mixer.counters.audioFramesConcealed == 0, "phase \(phase) µs")
        }
    }

    @Test func thePlayoutDelayIsTheMarginOnACalmNetworkAndFollowsJitter() throws {
        let calm = try RoomMixerTests.threeParticipants()
        try calm.run(for: .seconds(2))
        let margin = 0.005
        #expect(abs(calm.mixer.playoutDelay.audio.seconds - margin) < 0.001, "\(calm.mixer.playoutDelay)")
        #expect(abs(calm.mixer.playoutDelay.video.seconds - margin) < 0.001, "\(calm.mixer.playoutDelay)")

        let jittery = try RoomMixerTests.threeParticipants()
        // Up to 40 ms late, deterministic.
        jittery.jitter = { time in .milliseconds(Int64(time / .milliseconds(1)) * 37 % 41) }
        try jittery.run(for: .seconds(1))
        // A few frames come too late while the delay is still learning the jitter; none after.
        let lateWhileLearning = jittery.mixer.counters.lateFrames
        try jittery.run(for: .seconds(1))
        #expect(jittery.mixer.playoutDelay.audio.seconds > 0.030, "\(jittery.mixer.playoutDelay)")
        #expect(jittery.mixer.playoutDelay.video.seconds > 0.030, "\(jittery.mixer.playoutDelay)")
        #expect(jittery.mixer.counters.lateFrames == lateWhileLearning)
    }

    /// The senders' frames arrive 5 ms after the room's fixed video ticks, so on that grid
    /// each waits about 28 ms for the next. Following the inputs, the room moves its ticks
    /// once, to just after them, and the wait drops to the margin, with no frame lost and
    /// the outbound timeline continuous.
    @Test func videoTicksMoveToJustAfterTheInputsFramesAndTheirWaitShrinks() throws {
        var waits: [Bool: [Double]] = [:]
        for aligned in [false, true] {
            let harness = try RoomMixerTests.threeParticipants()
            harness.alignsVideoTicks = aligned
            try harness.run(for: .seconds(3))
            let settledFrom = harness.videoLatencies.count
            let framesBefore = harness.mixer.counters.videoFramesEncoded
            try harness.run(for: .seconds(3))
            waits[aligned] = Self.sorted(Array(harness.videoLatencies[settledFrom...]))
            #expect(harness.mixer.counters.videoFramesEncoded - framesBefore == 90, "aligned: \(aligned)")
            #expect(harness.mixer.counters.lateFrames == 0)
            let timestamps = harness.videoTimestamps
            let steps = zip(timestamps, timestamps.dropFirst()).map { Int64($1) - Int64($0) }
            #expect(steps.allSatisfy { $0 >= 1_500 && $0 <= 4_500 }, "aligned: \(aligned): \(Set(steps))")
            #expect(harness.videoTickShifts.count == (aligned ? 1 : 0), "\(harness.videoTickShifts)")
            #expect(harness.mixer.counters.videoTickMoves == harness.videoTickShifts.count)
            // The move (7.8 ms later, the shorter way) makes one tick take two frames of
            // each input: the older is decoded but not shown on its own.
            let unshown = harness.mixer.counters.videoFramesDecoded - harness.videoLatencies.count
            #expect(unshown == (aligned ? 3 : 0), "aligned: \(aligned)")
        }
        let fixed = try #require(waits[false])
        let following = try #require(waits[true])
        #expect(try #require(fixed.first) > 0.025, "\(fixed.prefix(3))")
        let margin = VideoTickAlignment.margin.seconds
        #expect(try #require(following.first) >= margin - 0.001 && (try #require(following.last)) <= margin + 0.001,
                "\(following.prefix(3)) … \(following.suffix(3))")
    }
}
