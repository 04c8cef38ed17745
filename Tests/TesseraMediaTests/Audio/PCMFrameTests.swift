import Testing
import TesseraMedia

@Suite struct PCMFrameTests {
    private func frame(_ samples: [Float]) -> PCMFrame {
        var frame = PCMFrame()
        for (index, sample) in samples.enumerated() { frame[index] = sample }
        return frame
    }

    @Test func mixAddScalesAndAdds() {
        var mix = frame([Float](repeating: 0.25, count: 960))
        mix.mixAdd(frame([Float](repeating: 0.5, count: 960)), gain: 0.5)
        #expect(mix.samples.allSatisfy { $0 == 0.5 })
        #expect(mix.count == 960 && mix.samples.count == 960)
        mix.clear()
        #expect(mix.samples.allSatisfy { $0 == 0 })
    }

    /// RFC 6464 §3: level is −dBov, 0 dBov being a full-scale square wave.
    @Test func levelInDBov() {
        #expect(frame(AudioTestSignals.sine(1_000, amplitude: 1)).levelDBov == 3)
        #expect((2...4).contains(frame(AudioTestSignals.sine(440, amplitude: 1)).levelDBov))
        #expect(PCMFrame().levelDBov == 127)
        #expect(frame([Float](repeating: 0.1, count: 960)).levelDBov == 20)
        #expect(frame([Float](repeating: 1, count: 960)).levelDBov == 0)
        #expect(frame([Float](repeating: 1e-9, count: 960)).levelDBov == 127)
    }

    @Test func limiterKeepsAHotMixWithinFullScaleWithoutSignFlips() {
        var mix = PCMFrame()
        for frequency in [220.0, 330, 440, 550] {
            mix.mixAdd(frame(AudioTestSignals.sine(frequency, amplitude: 1)))
        }
        let before = mix.samples
        #expect(before.contains { abs($0) > 2 }, "the test mix should be hot")
        mix.softLimit()
        for (input, output) in zip(before, mix.samples) {
            #expect(output >= -1 && output <= 1)
            #expect(input == 0 || (input > 0) == (output > 0), "sign flipped: \(input) → \(output)")
            #expect(abs(output) <= abs(input))
        }
        // Monotonic: a louder input never comes out quieter.
        let order = before.indices.sorted { before[$0] < before[$1] }
        for (lower, higher) in zip(order, order.dropFirst()) {
            #expect(mix.samples[lower] <= mix.samples[higher])
        }
    }

    @Test func limiterLeavesQuietAudioAloneAndTamesNonFiniteSamples() {
        let quiet = AudioTestSignals.sine(440, amplitude: 0.5)
        var limited = frame(quiet)
        limited.softLimit()
        #expect(limited.samples == quiet)

        var odd = frame([.nan, .infinity, -.infinity, 1.5, -1.5])
        odd.softLimit()
        #expect(odd[0] == 0)
        #expect(odd[1] == 1 && odd[2] == -1)
        #expect(odd[3] > 0.8 && odd[3] < 1 && odd[4] == -odd[3])
    }
}
