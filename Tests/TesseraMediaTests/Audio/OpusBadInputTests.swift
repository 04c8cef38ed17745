import Testing
import TesseraMedia

/// Hostile or wrong input is a `MediaError`, never a crash or an out-of-bounds write.
@Suite struct OpusBadInputTests {
    @Test func emptyPacketIsBadInput() throws {
        let decoder = try OpusDecoder()
        var frame = PCMFrame()
        AudioTestSignals.expectMediaError(.badInput) { try decoder.decode([][...], into: &frame) }
        AudioTestSignals.expectMediaError(.badInput) { try decoder.decodeFEC(nextPacket: [][...], into: &frame) }
    }

    @Test func oversizedPacketIsBadInput() throws {
        let decoder = try OpusDecoder()
        var pcm = [Float](repeating: 0, count: OpusCodec.maxSamplesPerChannel)
        let packet = [UInt8](repeating: 0x78, count: OpusCodec.maxPacketBytes + 1)
        AudioTestSignals.expectMediaError(.badInput) { try decoder.decode(packet[...], into: &pcm) }
    }

    /// TOC 0xFF is a code 3 packet; 0xFF then claims 63 frames of 20 ms, past 120 ms (RFC 6716 §3.2.5).
    @Test func malformedPacketIsBadInput() throws {
        let decoder = try OpusDecoder()
        var frame = PCMFrame()
        let packet = [UInt8](repeating: 0xFF, count: 40)
        AudioTestSignals.expectMediaError(.badInput) { try decoder.decode(packet[...], into: &frame) }
        // Code 3 with a frame count of zero.
        AudioTestSignals.expectMediaError(.badInput) { try decoder.decode([0x03, 0x00, 0x00][...], into: &frame) }
    }

    @Test func outputTooSmallForThePacketIsBadInput() throws {
        let encoder = try OpusEncoder()
        var packet = [UInt8](repeating: 0, count: 1_500)
        let length = try encoder.encode(AudioTestSignals.sine(440, amplitude: 0.5), into: &packet)
        let decoder = try OpusDecoder()
        var pcm = [Float](repeating: 0, count: 480)
        AudioTestSignals.expectMediaError(.badInput) { try decoder.decode(packet[..<length], into: &pcm) }
        var empty: [Float] = []
        AudioTestSignals.expectMediaError(.badInput) { try decoder.concealLoss(into: &empty) }
    }

    @Test func wrongFrameSizeOrChannelsAreRejected() throws {
        let encoder = try OpusEncoder()
        var packet = [UInt8](repeating: 0, count: 1_500)
        AudioTestSignals.expectMediaError(.badInput) { try encoder.encode([Float](repeating: 0, count: 1_000), into: &packet) }
        var none: [UInt8] = []
        AudioTestSignals.expectMediaError(.badInput) { try encoder.encode([Float](repeating: 0, count: 960), into: &none) }
        AudioTestSignals.expectMediaError(.unsupported) { try OpusDecoder(channels: 3) }
        AudioTestSignals.expectMediaError(.unsupported) { try OpusEncoder(channels: 0) }
    }

    /// Random bytes either decode to bounded finite audio or throw `MediaError`.
    @Test func randomBytesNeverCrash() throws {
        var generator = AudioTestSignals.SeededGenerator(seed: 0x0b05)
        let decoder = try OpusDecoder()
        var pcm = [Float](repeating: 0, count: OpusCodec.maxSamplesPerChannel)
        for _ in 0..<2_000 {
            let count = Int.random(in: 1...300, using: &generator)
            let packet = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            do {
                let samples = try decoder.decode(packet[...], into: &pcm)
                #expect((1...OpusCodec.maxSamplesPerChannel).contains(samples))
            } catch {
                #expect(error is MediaError)
            }
        }
    }
}
