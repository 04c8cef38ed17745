import Testing
import TesseraMedia

/// A lost packet is concealed (PLC) or, when the next packet carries it, recovered (FEC).
@Suite struct OpusLossTests {
    @Test func concealmentFillsTwentyMillisecondsWithFiniteAudio() throws {
        let encoder = try OpusEncoder()
        let decoder = try OpusDecoder()
        let packets = try AudioTestSignals.encodeFrames(AudioTestSignals.sine(440, amplitude: 0.5, frames: 10), with: encoder)
        var frame = PCMFrame()
        for packet in packets.dropLast() { _ = try decoder.decode(packet[...], into: &frame) }
        for index in 0..<frame.count { frame[index] = .nan }
        #expect(try decoder.concealLoss(into: &frame) == 960)
        #expect(frame.samples.allSatisfy { $0.isFinite })
        #expect(frame.rms > 0.01, "PLC after a steady tone should not be silence")
    }

    @Test func concealmentBeforeAnyPacketIsTwentyMilliseconds() throws {
        let decoder = try OpusDecoder()
        var pcm = [Float](repeating: .nan, count: 960)
        #expect(try decoder.concealLoss(into: &pcm) == 960)
        #expect(pcm.allSatisfy { $0.isFinite })
    }

    /// PLC covers the last packet's duration (OPUS_GET_LAST_PACKET_DURATION), cut to what the output holds.
    @Test func concealmentFollowsTheLastPacketDuration() throws {
        let encoder = try OpusEncoder()
        let decoder = try OpusDecoder()
        #expect(decoder.lastPacketDuration == 0)
        var packet = [UInt8](repeating: 0, count: 1_500)
        let length = try encoder.encode(AudioTestSignals.sine(440, amplitude: 0.5, frames: 2), into: &packet)
        var pcm = [Float](repeating: 0, count: 1_920)
        #expect(try decoder.decode(packet[..<length], into: &pcm) == 1_920)
        #expect(decoder.lastPacketDuration == 1_920)
        #expect(try decoder.concealLoss(into: &pcm) == 1_920)
        var frame = PCMFrame()
        #expect(try decoder.concealLoss(into: &frame) == 960)
        #expect(decoder.lastPacketDuration == 960)
    }

    /// Frame `lost` starts a tone after quiet: concealment has nothing to extrapolate from,
    /// the in-band FEC copy in the next packet has the tone.
    @Test func fecRecoversALostFrameBetterThanConcealment() throws {
        let encoder = try OpusEncoder(channels: 1, application: .voip)
        try encoder.setBitrate(32_000)
        try encoder.setInbandFEC(true, expectedPacketLossPercent: 20)
        let lost = 30
        var input = AudioTestSignals.sine(440, amplitude: 0.01, frames: 50)
        let tone = AudioTestSignals.sine(440, amplitude: 0.5, frames: 50)
        for index in lost * 960..<input.count { input[index] = tone[index] }
        let packets = try AudioTestSignals.encodeFrames(input, with: encoder)

        func decoderBefore(_ frame: Int) throws -> OpusDecoder {
            let decoder = try OpusDecoder()
            var scratch = PCMFrame()
            for packet in packets[..<frame] { _ = try decoder.decode(packet[...], into: &scratch) }
            return decoder
        }
        var reference = PCMFrame()
        _ = try decoderBefore(lost).decode(packets[lost][...], into: &reference)
        var recovered = PCMFrame()
        #expect(try decoderBefore(lost).decodeFEC(nextPacket: packets[lost + 1][...], into: &recovered) == 960)
        var concealed = PCMFrame()
        _ = try decoderBefore(lost).concealLoss(into: &concealed)

        let fecGain = AudioTestSignals.decibels(Double(recovered.rms / reference.rms))
        #expect(fecGain > -6, "FEC frame is \(fecGain) dB below the original")
        #expect(recovered.rms > 2 * concealed.rms, "FEC \(recovered.rms) vs PLC \(concealed.rms)")
    }

    @Test func fecWorksWhenTheToneIsSteady() throws {
        let encoder = try OpusEncoder(channels: 1, application: .voip)
        try encoder.setBitrate(24_000)
        try encoder.setInbandFEC(true, expectedPacketLossPercent: 10)
        let packets = try AudioTestSignals.encodeFrames(AudioTestSignals.sine(440, amplitude: 0.5, frames: 30), with: encoder)
        let decoder = try OpusDecoder()
        var frame = PCMFrame()
        for packet in packets[..<20] { _ = try decoder.decode(packet[...], into: &frame) }
        var reference = PCMFrame()
        let check = try OpusDecoder()
        for packet in packets[...20] { _ = try check.decode(packet[...], into: &reference) }
        #expect(try decoder.decodeFEC(nextPacket: packets[21][...], into: &frame) == 960)
        #expect(AudioTestSignals.decibels(Double(frame.rms / reference.rms)) > -6)
        // The next packet then decodes normally.
        #expect(try decoder.decode(packets[21][...], into: &frame) == 960)
    }
}
