/// A point on the transport's monotonic clock: microseconds since an arbitrary origin the
/// owner chooses (usually when the peer session started).
///
/// Every RTCP feedback state machine takes "now" as a `MediaTime` parameter instead of
/// reading a clock, so tests drive it with made-up times. Intervals are `Duration`s.
public struct MediaTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var microseconds: Int64

    public init(microseconds: Int64) {
        self.microseconds = microseconds
    }

    /// The time of `instant` on a clock whose origin is `origin`.
    public init(_ instant: ContinuousClock.Instant, since origin: ContinuousClock.Instant) {
        self.init(microseconds: (instant - origin).microseconds)
    }

    public static let zero = MediaTime(microseconds: 0)

    public static func milliseconds(_ value: Int64) -> MediaTime { MediaTime(microseconds: value * 1000) }
    public static func seconds(_ value: Int64) -> MediaTime { MediaTime(microseconds: value * 1_000_000) }

    public static func < (lhs: MediaTime, rhs: MediaTime) -> Bool { lhs.microseconds < rhs.microseconds }

    public static func + (lhs: MediaTime, rhs: Duration) -> MediaTime {
        MediaTime(microseconds: lhs.microseconds &+ rhs.microseconds)
    }

    public static func - (lhs: MediaTime, rhs: Duration) -> MediaTime {
        MediaTime(microseconds: lhs.microseconds &- rhs.microseconds)
    }

    public static func - (lhs: MediaTime, rhs: MediaTime) -> Duration {
        .microseconds(lhs.microseconds &- rhs.microseconds)
    }

    public var description: String { "\(Double(microseconds) / 1000) ms" }
}

extension Duration {
    /// The duration in whole microseconds, rounded toward zero (saturating at ±Int64.max).
    var microseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        return scaled &+ attoseconds / 1_000_000_000_000
    }
}
