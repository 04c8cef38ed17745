/// The Opus identification header (RFC 7845 §5.1), which Matroska/WebM stores as the Opus
/// track's CodecPrivate:
///
///     "OpusHead" | version 1 | channels | pre-skip (LE16) | input rate (LE32) | gain (LE16) | mapping 0
enum OpusHead {
    static let size = 19

    /// `preSkip`: samples at 48 kHz the decoder discards at the start (the encoder's lookahead).
    static func bytes(channels: Int, preSkip: Int, inputSampleRate: Int = 48_000) -> [UInt8] {
        var header: [UInt8] = Array("OpusHead".utf8)
        header.reserveCapacity(size)
        header.append(1)  // version
        header.append(UInt8(clamping: channels))
        header.append(contentsOf: littleEndian(UInt16(clamping: preSkip)))
        header.append(contentsOf: littleEndian(UInt32(clamping: inputSampleRate)))
        header.append(contentsOf: littleEndian(UInt16(0)))  // output gain, Q7.8 dB
        header.append(0)  // channel mapping family 0: mono or stereo, no mapping table
        return header
    }

    private static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<T.bitWidth / 8).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}
