/// A bounds-checked big-endian reader over a byte slice. Every read throws
/// `WireError(.truncated, context)` instead of trapping, so hostile input cannot crash.
public struct ByteReader {
    @usableFromInline let bytes: [UInt8]
    public private(set) var offset: Int
    @usableFromInline let end: Int

    public init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.offset = max(0, min(start, bytes.count))
        self.end = max(self.offset, min(end ?? bytes.count, bytes.count))
    }

    public var remaining: Int { end - offset }
    public var isAtEnd: Bool { offset >= end }

    public mutating func skip(_ count: Int, _ context: String) throws(WireError) {
        guard count >= 0, count <= remaining else { throw WireError(.truncated, context) }
        offset += count
    }

    public mutating func u8(_ context: String) throws(WireError) -> UInt8 {
        guard remaining >= 1 else { throw WireError(.truncated, context) }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func u16(_ context: String) throws(WireError) -> UInt16 {
        guard remaining >= 2 else { throw WireError(.truncated, context) }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    public mutating func u24(_ context: String) throws(WireError) -> UInt32 {
        guard remaining >= 3 else { throw WireError(.truncated, context) }
        defer { offset += 3 }
        return UInt32(bytes[offset]) << 16 | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2])
    }

    public mutating func u32(_ context: String) throws(WireError) -> UInt32 {
        guard remaining >= 4 else { throw WireError(.truncated, context) }
        defer { offset += 4 }
        var value: UInt32 = 0
        for index in offset..<(offset + 4) { value = value << 8 | UInt32(bytes[index]) }
        return value
    }

    public mutating func u64(_ context: String) throws(WireError) -> UInt64 {
        let high = try u32(context)
        let low = try u32(context)
        return UInt64(high) << 32 | UInt64(low)
    }

    /// The next `count` bytes as an array slice (no copy of the underlying storage).
    public mutating func bytes(_ count: Int, _ context: String) throws(WireError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else { throw WireError(.truncated, context) }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    /// A reader over the next `count` bytes; this reader moves past them.
    public mutating func subReader(_ count: Int, _ context: String) throws(WireError) -> ByteReader {
        guard count >= 0, count <= remaining else { throw WireError(.truncated, context) }
        defer { offset += count }
        return ByteReader(bytes, from: offset, to: offset + count)
    }
}

/// A big-endian writer that appends to a caller-owned buffer (reserve once, reuse).
public struct ByteWriter {
    public var bytes: [UInt8]

    public init(reservingCapacity capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public init(appendingTo bytes: [UInt8]) { self.bytes = bytes }

    public var count: Int { bytes.count }

    public mutating func u8(_ value: UInt8) { bytes.append(value) }
    public mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8)); bytes.append(UInt8(truncatingIfNeeded: value))
    }
    public mutating func u24(_ value: UInt32) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }
    public mutating func u32(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }
    public mutating func u64(_ value: UInt64) { u32(UInt32(value >> 32)); u32(UInt32(truncatingIfNeeded: value)) }
    public mutating func append<S: Sequence>(contentsOf other: S) where S.Element == UInt8 { bytes.append(contentsOf: other) }
    public mutating func zeros(_ count: Int) { bytes.append(contentsOf: repeatElement(0, count: count)) }
    /// Overwrites a big-endian UInt16 already written at `index` (for length fields written last).
    public mutating func set16(_ value: UInt16, at index: Int) {
        bytes[index] = UInt8(value >> 8); bytes[index + 1] = UInt8(truncatingIfNeeded: value)
    }
}
