/// SplitMix64: a tiny seedable generator, so the randomized RTCP intervals are
/// reproducible in tests. Not for anything security related.
struct IntervalRandom: RandomNumberGenerator, Sendable, Equatable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `interval` scaled by a uniform factor in 0.5...1.5 (RFC 3550 §6.3.1).
    mutating func randomized(_ interval: Duration) -> Duration {
        let micros = interval.microseconds
        guard micros > 0 else { return .zero }
        let factor = Double.random(in: 0.5...1.5, using: &self)
        return .microseconds(Int64(Double(micros) * factor))
    }
}
