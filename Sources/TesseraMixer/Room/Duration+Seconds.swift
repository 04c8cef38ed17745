extension Duration {
    /// This duration in seconds, as a `Double` (metrics, latencies, benchmark figures).
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
