/// The mixer-to-client audio levels header extension (RFC 6465 §3): one byte per CSRC,
/// in CSRC-list order, each a 0 bit followed by the level in -dBov (0...127).
public struct CSRCAudioLevelsExtension: RTPHeaderExtensionValue {
    public static let uri = HeaderExtensionURI.csrcAudioLevel
    /// One level per CSRC, and an RTP header holds at most 15 CSRCs.
    public static let maxLevels = RTPHeader.maxCSRCCount

    /// Levels 0...127 (meaning -level dBov).
    public let levels: [UInt8]

    /// Keeps the first `maxLevels` levels, clamping each to 127.
    public init(levels: [UInt8]) {
        self.levels = levels.prefix(Self.maxLevels).map { min($0, 127) }
    }

    /// Requires 1...15 bytes; the reserved top bit of each byte is ignored.
    public init(parsing data: ArraySlice<UInt8>) throws(WireError) {
        guard (1...Self.maxLevels).contains(data.count) else {
            throw WireError(.malformed, "csrc-audio-level length \(data.count)")
        }
        levels = data.map { $0 & 0x7F }
    }

    public var encoded: [UInt8] { levels }
}
