public import Foundation

/// Timestamps are stored and shown as ISO 8601 UTC with milliseconds
/// (`2026-11-21T19:52:18.123Z`), which sorts correctly as text. Dates are kept on whole
/// milliseconds so that a value read back equals the value written.
public enum Timestamp {
    public static func string(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(milliseconds.floorDivided(by: 1000))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + "\(pad(Int32(milliseconds - Int64(seconds) * 1000), 3))Z"
    }

    public static func date(_ text: String) -> Date? {
        guard let parsed = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) else { return nil }
        return whole(parsed)
    }

    /// Now, on a whole millisecond.
    public static func now() -> Date { whole(Date()) }

    /// `date` rounded to the nearest millisecond.
    public static func whole(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(Int64((date.timeIntervalSince1970 * 1000).rounded())) / 1000)
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }
}
