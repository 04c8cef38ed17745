// Additions to the shared `ByteReader` / `ByteWriter` used by the RTP and RTCP codecs.

extension ByteReader {
    /// The array the reader walks (shared storage, not a copy).
    var base: [UInt8] { bytes }

    /// The absolute index one past the last readable byte.
    var endOffset: Int { end }

    /// Reads a big-endian 16-bit two's-complement integer.
    mutating func i16(_ context: String) throws(WireError) -> Int16 {
        Int16(bitPattern: try u16(context))
    }

    /// Reads a big-endian 24-bit two's-complement integer, sign-extended.
    mutating func i24(_ context: String) throws(WireError) -> Int32 {
        let raw = try u24(context)
        return Int32(bitPattern: raw << 8) >> 8
    }

    /// Skips `count` bytes and returns their absolute range in `base`.
    mutating func range(_ count: Int, _ context: String) throws(WireError) -> Range<Int> {
        let start = offset
        try skip(count, context)
        return start..<offset
    }

    /// Skips forward to the next 32-bit boundary counted from the absolute index `start`.
    mutating func skipToWordBoundary(from start: Int, _ context: String) throws(WireError) {
        let misalignment = (offset - start) & 3
        if misalignment != 0 { try skip(4 - misalignment, context) }
    }
}

extension ByteWriter {
    /// Runs `body` with a writer that appends to `buffer` in place (the storage is moved,
    /// not copied, so the caller's reserved capacity is reused).
    static func appending(to buffer: inout [UInt8], _ body: (inout ByteWriter) -> Void) {
        var writer = ByteWriter()
        swap(&writer.bytes, &buffer)
        body(&writer)
        swap(&writer.bytes, &buffer)
    }

    /// Writes the low 24 bits of a two's-complement integer, big-endian.
    mutating func i24(_ value: Int32) {
        u24(UInt32(bitPattern: value) & 0x00FF_FFFF)
    }

    /// Appends zero bytes until the length counted from `start` is a multiple of 4.
    mutating func padToWordBoundary(from start: Int) {
        while (count - start) & 3 != 0 { u8(0) }
    }
}
