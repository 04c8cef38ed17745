#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A 64-bit NTP timestamp: 32.32 fixed-point seconds since 1900-01-01 00:00 UTC
/// (RFC 5905 §6, used by RTCP SR, RFC 3550 §4).
///
/// Seconds wrap modulo 2^32 (era 1 starts in February 2036); RTCP only compares nearby
/// values, so the wrap is harmless.
public struct NTPTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds from the NTP epoch (1900) to the Unix epoch (1970).
    public static let unixEpochOffset: Int64 = 2_208_988_800

    public var rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public init(seconds: UInt32, fraction: UInt32) {
        self.rawValue = UInt64(seconds) << 32 | UInt64(fraction)
    }

    /// Exact conversion from Unix time; `nanoseconds` is 0..<1_000_000_000.
    public init(unixSeconds: Int64, nanoseconds: Int64 = 0) {
        let seconds = UInt32(truncatingIfNeeded: unixSeconds &+ Self.unixEpochOffset)
        let fraction = UInt32(truncatingIfNeeded: (UInt64(max(0, min(nanoseconds, 999_999_999))) << 32) / 1_000_000_000)
        self.init(seconds: seconds, fraction: fraction)
    }

    /// From fractional seconds since 1970 (wall clock).
    public init(secondsSince1970: Double) {
        let whole = secondsSince1970.rounded(.down)
        let nanoseconds = Int64(((secondsSince1970 - whole) * 1e9).rounded(.down))
        self.init(unixSeconds: Int64(whole), nanoseconds: nanoseconds)
    }

    public init(_ date: Date) {
        self.init(secondsSince1970: date.timeIntervalSince1970)
    }

    /// Integer seconds since 1900 (mod 2^32).
    public var seconds: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 32) }
    /// Fraction of a second in units of 2^-32 s.
    public var fraction: UInt32 { UInt32(truncatingIfNeeded: rawValue) }

    /// The middle 32 bits (16.16 fixed point), as in the LSR field of a report block
    /// (RFC 3550 §6.4.1).
    public var middle32: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 16) }

    /// Seconds since 1970, assuming NTP era 0.
    public var secondsSince1970: Double {
        Double(Int64(seconds) - Self.unixEpochOffset) + Double(fraction) / 4_294_967_296
    }

    public var date: Date { Date(timeIntervalSince1970: secondsSince1970) }

    public static func < (lhs: NTPTime, rhs: NTPTime) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Adds a (non-negative or negative) duration with 2^-32 s resolution.
    public static func + (lhs: NTPTime, rhs: Duration) -> NTPTime {
        let (seconds, attoseconds) = rhs.components
        // 2^32 / 10^18 fraction units per attosecond.
        let fraction = Int64((Double(attoseconds) * 4_294_967_296 / 1e18).rounded())
        let delta = UInt64(bitPattern: seconds << 32 &+ fraction)
        return NTPTime(rawValue: lhs.rawValue &+ delta)
    }

    public var description: String { "NTP(\(seconds).\(fraction))" }

    /// Converts a 16.16 fixed-point amount (LSR/DLSR arithmetic) to a duration.
    public static func duration(fromMiddle32Units units: UInt32) -> Duration {
        .microseconds(Int64(units) * 1_000_000 / 65536)
    }
}
