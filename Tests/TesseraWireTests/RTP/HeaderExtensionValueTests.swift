import Testing
@testable import TesseraWire

@Suite struct HeaderExtensionValueTests {
    @Test func mid() throws {
        let mid = try MidExtension(parsing: Array("audio0".utf8)[...])
        #expect(mid.value == "audio0")
        #expect(mid.encoded == Array("audio0".utf8))
        #expect(try MidExtension("1").encoded == [0x31])
        #expect(wireError { _ = try MidExtension(parsing: [][...]) }?.kind == .malformed)
        #expect(wireError { _ = try MidExtension(parsing: [0x61, 0x20][...]) }?.kind == .malformed)
        #expect(wireError { _ = try MidExtension(parsing: [0xC3, 0xA9][...]) }?.kind == .malformed)
        #expect(wireError { _ = try MidExtension(String(repeating: "a", count: 256)) }?.kind == .malformed)
    }

    @Test func absSendTime() throws {
        // 1.5 s = 1 << 18 + 1 << 17.
        let value = AbsSendTimeExtension(microseconds: 1_500_000)
        #expect(value.rawValue == 0x06_0000)
        #expect(value.encoded == [0x06, 0x00, 0x00])
        #expect(value.microseconds == 1_500_000)
        // Wraps every 64 s.
        #expect(AbsSendTimeExtension(microseconds: 65_500_000) == value)
        let parsed = try AbsSendTimeExtension(parsing: [0xFF, 0xFF, 0xFF][...])
        #expect(parsed.rawValue == 0xFF_FFFF)
        #expect(parsed.microseconds == 63_999_996)
        #expect(AbsSendTimeExtension(rawValue: 0x1FF_FFFF).rawValue == 0xFF_FFFF)
        #expect(wireError { _ = try AbsSendTimeExtension(parsing: [1, 2][...]) }?.kind == .malformed)
        #expect(wireError { _ = try AbsSendTimeExtension(parsing: [1, 2, 3, 4][...]) }?.kind == .malformed)
    }

    @Test func transportSequenceNumber() throws {
        let value = try TransportSequenceNumberExtension(parsing: [0xAB, 0xCD][...])
        #expect(value.sequenceNumber == 0xABCD)
        #expect(TransportSequenceNumberExtension(sequenceNumber: 0x0102).encoded == [1, 2])
        #expect(wireError { _ = try TransportSequenceNumberExtension(parsing: [1][...]) }?.kind == .malformed)
    }

    @Test func ssrcAudioLevel() throws {
        let loudVoice = try SSRCAudioLevelExtension(parsing: [0x9E][...])
        #expect(loudVoice.voiceActivity)
        #expect(loudVoice.level == 30)
        let silence = try SSRCAudioLevelExtension(parsing: [0x7F][...])
        #expect(!silence.voiceActivity)
        #expect(silence.level == 127)
        #expect(SSRCAudioLevelExtension(voiceActivity: true, level: 30).encoded == [0x9E])
        #expect(SSRCAudioLevelExtension(voiceActivity: false, level: 200).level == 127)
        #expect(wireError { _ = try SSRCAudioLevelExtension(parsing: [1, 2][...]) }?.kind == .malformed)
    }

    @Test func csrcAudioLevels() throws {
        let value = try CSRCAudioLevelsExtension(parsing: [0x0A, 0x8B, 0x7F][...])
        #expect(value.levels == [10, 11, 127])
        #expect(CSRCAudioLevelsExtension(levels: [1, 2, 255]).encoded == [1, 2, 127])
        #expect(CSRCAudioLevelsExtension(levels: Array(0..<20)).levels.count == 15)
        #expect(wireError { _ = try CSRCAudioLevelsExtension(parsing: [][...]) }?.kind == .malformed)
        #expect(wireError { _ = try CSRCAudioLevelsExtension(parsing: [UInt8](repeating: 1, count: 16)[...]) }?.kind == .malformed)
    }
}
