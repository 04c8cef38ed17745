/// The client-to-mixer audio level header extension (RFC 6464 §3): one byte, the V (voice
/// activity) flag in the top bit and the level in -dBov (0 loudest ... 127 silence).
public struct SSRCAudioLevelExtension: RTPHeaderExtensionValue {
    public static let uri = HeaderExtensionURI.ssrcAudioLevel

    public let voiceActivity: Bool
    /// 0...127, meaning -level dBov.
    public let level: UInt8

    /// `level` above 127 is clamped to 127.
    public init(voiceActivity: Bool, level: UInt8) {
        self.voiceActivity = voiceActivity
        self.level = min(level, 127)
    }

    /// Requires exactly 1 byte.
    public init(parsing data: ArraySlice<UInt8>) throws(WireError) {
        guard data.count == 1 else { throw WireError(.malformed, "ssrc-audio-level length \(data.count)") }
        let byte = data[data.startIndex]
        voiceActivity = byte & 0x80 != 0
        level = byte & 0x7F
    }

    public var encoded: [UInt8] { [(voiceActivity ? 0x80 : 0) | level] }
}
