import Testing
import TesseraMedia

/// Settings reach libopus through the ctl shims and change what comes out.
@Suite struct OpusEncoderSettingsTests {
    private func averagePacketBytes(bitrate: Int) throws -> Double {
        let encoder = try OpusEncoder(channels: 1, application: .audio)
        try encoder.setBitrate(bitrate)
        try encoder.setComplexity(5)
        let packets = try AudioTestSignals.encodeFrames(AudioTestSignals.sine(440, amplitude: 0.5, frames: 50), with: encoder)
        return Double(packets.dropFirst(5).reduce(0) { $0 + $1.count }) / Double(packets.count - 5)
    }

    @Test func higherBitrateMakesLargerPackets() throws {
        let low = try averagePacketBytes(bitrate: 16_000)
        let high = try averagePacketBytes(bitrate: 96_000)
        #expect(high > 2 * low, "16 kb/s: \(low) B, 96 kb/s: \(high) B")
        // 96 kb/s at 50 packets/s is 240 B; VBR lands near it.
        #expect(high > 120 && high < 400)
    }

    @Test func dtxShrinksSilenceToTinyPackets() throws {
        let encoder = try OpusEncoder(channels: 1, application: .voip)
        try encoder.setDTX(true)
        let silence = [Float](repeating: 0, count: 960 * 50)
        let packets = try AudioTestSignals.encodeFrames(silence, with: encoder)
        // A keep-alive frame still goes out every 400 ms.
        #expect(packets.suffix(20).filter { $0.count <= 2 }.count >= 18, "\(packets.map(\.count))")

        let continuous = try OpusEncoder(channels: 1, application: .voip)
        try continuous.setDTX(false)
        let without = try AudioTestSignals.encodeFrames(silence, with: continuous)
        #expect(without.suffix(20).contains { $0.count > 2 })
    }

    @Test func outOfRangeSettingsAreCodecErrors() throws {
        let encoder = try OpusEncoder()
        AudioTestSignals.expectMediaError(.codec(code: -1)) { try encoder.setComplexity(42) }
        AudioTestSignals.expectMediaError(.codec(code: -1)) { try encoder.setExpectedPacketLoss(percent: 101) }
        #expect(throws: Never.self) { try encoder.setInbandFEC(true, expectedPacketLossPercent: 15) }
    }
}
