extension Duration {
    /// This duration in seconds, as a `Double` (metrics, latencies, benchmark figures).
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }

    /// How many `tick`s it takes to cover this duration (rounded up): a timing given as a
    /// duration, counted by code that runs once per tick.
    public func ticks(of tick: Duration) -> Int { Int((self / tick).rounded(.up)) }
}
