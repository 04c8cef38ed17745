import Testing
import TesseraMedia

/// Encode → decode keeps what a listener hears: pitch and loudness.
@Suite struct OpusRoundTripTests {
    @Test(arguments: [OpusEncoder.Application.voip, .audio])
    func sineKeepsItsFrequencyAndLevel(application: OpusEncoder.Application) throws {
        let encoder = try OpusEncoder(channels: 1, application: application)
        try encoder.setBitrate(32_000)
        let decoder = try OpusDecoder(channels: 1)
        let input = AudioTestSignals.sine(440, amplitude: 0.5, frames: 50)
        let packets = try AudioTestSignals.encodeFrames(input, with: encoder)

        var decoded: [Float] = []
        var frame = PCMFrame()
        for packet in packets {
            #expect(try decoder.decode(packet[...], into: &frame) == 960)
            decoded += frame.samples
        }
        // Skip the first 200 ms: encoder start-up and lookahead.
        let steady = decoded[(10 * 960)...]
        let atTone = AudioTestSignals.magnitude(of: steady, at: 440)
        for other in [220.0, 330, 550, 660, 880, 1_000] {
            #expect(atTone > 10 * AudioTestSignals.magnitude(of: steady, at: other), "440 Hz not dominant over \(other) Hz")
        }
        let gain = AudioTestSignals.decibels(AudioTestSignals.rms(steady) / AudioTestSignals.rms(input[(10 * 960)...]))
        #expect(abs(gain) < 3, "level changed by \(gain) dB")
    }

    @Test func stereoRoundTripReturnsSamplesPerChannel() throws {
        let encoder = try OpusEncoder(channels: 2, application: .audio)
        let decoder = try OpusDecoder(channels: 2)
        let mono = AudioTestSignals.sine(440, amplitude: 0.5)
        let interleaved = mono.flatMap { [$0, $0] }
        var packet = [UInt8](repeating: 0, count: 1_500)
        let length = try encoder.encode(interleaved, into: &packet)
        var pcm = [Float](repeating: .nan, count: 2 * 960)
        #expect(try decoder.decode(packet[..<length], into: &pcm) == 960)
        #expect(pcm.allSatisfy { $0.isFinite })
    }

    @Test func packetDurationIsReadFromTheTOC() throws {
        let encoder = try OpusEncoder()
        var packet = [UInt8](repeating: 0, count: 1_500)
        let length = try encoder.encode(AudioTestSignals.sine(440, amplitude: 0.5), into: &packet)
        let duration = try packet[..<length].withUnsafeBytes { try OpusDecoder.samplesPerChannel(in: $0) }
        #expect(duration == 960)
        #expect(try encoder.lookahead() > 0)
    }
}
