import Testing
@testable import TesseraWire

@Suite struct OpusPacketTests {
    @Test(arguments: [
        // (TOC, config, stereo, code, mode, bandwidth, frame µs)
        (UInt8(0x78), UInt8(15), false, UInt8(0), OpusTOC.Mode.hybrid, OpusTOC.Bandwidth.fullband, 20_000),
        (0xFC, 31, true, 0, .celt, .fullband, 20_000),
        (0x08, 1, false, 0, .silk, .narrowband, 20_000),
        (0x4B, 9, false, 3, .silk, .wideband, 20_000),
        (0x80, 16, false, 0, .celt, .narrowband, 2_500),
        (0x1D, 3, true, 1, .silk, .narrowband, 60_000),
        (0x62, 12, false, 2, .hybrid, .superWideband, 10_000),
    ])
    func tocFields(byte: UInt8, config: UInt8, stereo: Bool, code: UInt8, mode: OpusTOC.Mode,
                   bandwidth: OpusTOC.Bandwidth, frameMicroseconds: Int) {
        let toc = OpusTOC(byte)
        #expect(toc.config == config && toc.isStereo == stereo && toc.frameCountCode == code)
        #expect(toc.mode == mode && toc.bandwidth == bandwidth)
        #expect(toc.frameDurationMicroseconds == frameMicroseconds)
        #expect(toc.byte == byte)
    }

    @Test func packetFrameCounts() throws {
        // 0x78: hybrid fullband 20 ms, what browsers send for speech.
        let single = try OpusPacket(parsing: [0x78] + Array(repeating: 0xAB, count: 80))
        #expect(single.frameCount == 1 && single.durationMicroseconds == 20_000 && single.samples == 960)
        let dtx = try OpusPacket(parsing: [0x78])
        #expect(dtx.frameCount == 1)
        let twoEqual = try OpusPacket(parsing: [0x79, 1, 2, 3, 4])
        #expect(twoEqual.frameCount == 2 && twoEqual.samples == 1920)
        let twoVBR = try OpusPacket(parsing: [0x7A, 2, 1, 2, 3, 4, 5])
        #expect(twoVBR.frameCount == 2)
        let twoVBRLong = try OpusPacket(parsing: [0x7A, 252, 1] + Array(repeating: 0, count: 256 + 10))
        #expect(twoVBRLong.frameCount == 2)
        let six = try OpusPacket(parsing: [0x7B, 0x06] + Array(repeating: 0, count: 12))
        #expect(six.frameCount == 6 && six.durationMicroseconds == 120_000)
    }

    @Test func invalidPackets() {
        #expect(throws: WireError(.truncated, "Opus TOC")) { try OpusPacket(parsing: []) }
        #expect(throws: WireError(.malformed, "Opus code 1 with odd length")) { try OpusPacket(parsing: [0x79, 1, 2, 3]) }
        #expect(throws: WireError(.truncated, "Opus code 2 first frame")) { try OpusPacket(parsing: [0x7A, 9, 1]) }
        #expect(throws: WireError(.truncated, "Opus frame length")) { try OpusPacket(parsing: [0x7A]) }
        #expect(throws: WireError(.truncated, "Opus frame count byte")) { try OpusPacket(parsing: [0x7B]) }
        #expect(throws: WireError(.malformed, "Opus code 3 with zero frames")) { try OpusPacket(parsing: [0x7B, 0x00]) }
        #expect(throws: WireError(.malformed, "Opus packet longer than 120 ms")) { try OpusPacket(parsing: [0x7B, 0x07]) }
        #expect(throws: WireError(.malformed, "Opus packet longer than 120 ms")) { try OpusPacket(parsing: [0x1B, 0x03]) }
        #expect(throws: WireError(.malformed, "Opus frame over 1275 bytes")) {
            try OpusPacket(parsing: [0x78] + Array(repeating: 0, count: 1276))
        }
    }

    @Test func seededGarbageNeverCrashes() {
        var generator = SeededGenerator(seed: 7587)
        for _ in 0..<5000 {
            let payload = generator.bytes(count: Int.random(in: 0...20, using: &generator))
            if let packet = try? OpusPacket(parsing: payload) {
                #expect(packet.frameCount >= 1 && packet.durationMicroseconds <= 120_000)
            }
        }
    }
}
