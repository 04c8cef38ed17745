/// Durations as a Prometheus-style histogram: how long mixer ticks took, or how long
/// input frames waited before their mix left (`latencyBounds`).
public struct TickHistogram: Sendable, Equatable {
    /// Tick durations, seconds.
    public static let tickBounds: [Double] = [0.0005, 0.001, 0.002, 0.005, 0.010, 0.020, 0.033, 0.050, 0.100]
    /// Mixer-added latency, seconds: 5 ms steps up to 100 ms, then coarser.
    public static let latencyBounds: [Double] = (1...20).map { Double($0) * 0.005 } + [0.150, 0.200, 0.300, 0.500, 1.0]
    /// Upper bounds in seconds (the last bucket, +Inf, is `count`).
    public let bounds: [Double]
    /// Observations at or below each bound (not cumulative; the renderer sums).
    public private(set) var buckets: [Int]
    public private(set) var count = 0
    public private(set) var sum: Double = 0
    public private(set) var maximum: Double = 0

    public init(bounds: [Double] = Self.tickBounds) {
        self.bounds = bounds
        buckets = [Int](repeating: 0, count: bounds.count)
    }

    public mutating func observe(_ duration: Duration) {
        let value = duration.seconds
        if let index = bounds.firstIndex(where: { value <= $0 }) { buckets[index] += 1 }
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
            if seen >= target { return bounds[index] }
        }
        return nil
    }
}
