import Testing
import TesseraMixer

/// Mixer-added latency (issue 7): from an input frame's arrival to the first mix that
/// carries it, as `RoomMixer` reports it for `/metrics` and the benchmark.
@Suite struct MixerLatencyTests {
    private static func sorted(_ samples: [Duration]) -> [Double] {
        samples.map { Double($0.components.seconds) + Double($0.components.attoseconds) * 1e-18 }.sorted()
    }

    @Test func everyDecodedInputFrameIsTimedFromItsArrivalToItsMix() throws {
        let harness = try RoomMixerTests.threeParticipants()
        try harness.run(for: .seconds(3))
        let video = Self.sorted(harness.videoLatencies)
        let audio = Self.sorted(harness.audioLatencies)
        let counters = harness.mixer.counters
        // One sample per decoded frame: nothing is double-counted or missed.
        #expect(video.count == counters.videoFramesDecoded && video.count > 80)
        #expect(audio.count == counters.audioFramesDecoded && audio.count > 140)
        // No jitter here, so each is the 20 ms playout floor plus the wait for its tick:
        // video is shown at the nearest tick (±half a frame), audio at the next 20 ms.
        let frame = 1.0 / 30
        #expect(try #require(video.first) >= 0.020 - frame / 2 && (try #require(video.last)) <= 0.020 + 0.005 + frame / 2, "\(video)")
        #expect(try #require(audio.first) >= 0.020 && (try #require(audio.last)) <= 0.020 + 0.020, "\(audio)")
    }
}
