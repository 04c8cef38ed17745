/// The abs-send-time header extension (webrtc.org experiments/rtp-hdrext/abs-send-time):
/// 3 bytes, the send time in seconds as unsigned 6.18 fixed point, wrapping every 64 s.
public struct AbsSendTimeExtension: RTPHeaderExtensionValue {
    public static let uri = HeaderExtensionURI.absSendTime
    /// Wrap period of the 6-bit seconds part.
    public static let wrapMicroseconds: UInt64 = 64_000_000

    /// The 24-bit 6.18 value.
    public let rawValue: UInt32

    /// Keeps the low 24 bits of `rawValue`.
    public init(rawValue: UInt32) {
        self.rawValue = rawValue & 0x00FF_FFFF
    }

    /// From a send time in microseconds (any epoch; only its value modulo 64 s matters).
    public init(microseconds: UInt64) {
        let withinWrap = microseconds % Self.wrapMicroseconds
        rawValue = UInt32(truncatingIfNeeded: (withinWrap << 18) / 1_000_000) & 0x00FF_FFFF
    }

    /// Requires exactly 3 bytes.
    public init(parsing data: ArraySlice<UInt8>) throws(WireError) {
        guard data.count == 3 else { throw WireError(.malformed, "abs-send-time length \(data.count)") }
        let start = data.startIndex
        rawValue = UInt32(data[start]) << 16 | UInt32(data[start + 1]) << 8 | UInt32(data[start + 2])
    }

    /// The time within the 64 s window, in microseconds (rounded down).
    public var microseconds: UInt64 { (UInt64(rawValue) * 1_000_000) >> 18 }

    public var encoded: [UInt8] {
        [UInt8(truncatingIfNeeded: rawValue >> 16), UInt8(truncatingIfNeeded: rawValue >> 8), UInt8(truncatingIfNeeded: rawValue)]
    }
}
