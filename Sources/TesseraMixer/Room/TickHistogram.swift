/// How long mixer ticks took, as a Prometheus-style cumulative histogram.
public struct TickHistogram: Sendable, Equatable {
    /// Upper bounds in seconds (the last bucket, +Inf, is `count`).
    public static let bounds: [Double] = [0.0005, 0.001, 0.002, 0.005, 0.010, 0.020, 0.033, 0.050, 0.100]
    /// Observations at or below each bound (not cumulative; the renderer sums).
    public private(set) var buckets = [Int](repeating: 0, count: TickHistogram.bounds.count)
    public private(set) var count = 0
    public private(set) var sum: Double = 0
    public private(set) var maximum: Double = 0

    public init() {}

    public mutating func observe(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let value = Double(seconds) + Double(attoseconds) * 1e-18
        if let index = Self.bounds.firstIndex(where: { value <= $0 }) { buckets[index] += 1 }
        count += 1
        sum += value
        maximum = max(maximum, value)
    }

    /// The bound below which `quantile` of the ticks fell (+Inf as nil).
    public func upperBound(quantile: Double) -> Double? {
        let target = Int((Double(count) * quantile).rounded(.up))
        var seen = 0
        for (index, bucket) in buckets.enumerated() {
            seen += bucket
            if seen >= target { return Self.bounds[index] }
        }
        return nil
    }
}
