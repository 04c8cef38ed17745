/// SplitMix64: a small deterministic generator so fuzz-style tests replay the same inputs.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }

    /// `base` with a few random bytes replaced: near-valid input reaches deeper code paths.
    mutating func mutate(_ base: [UInt8], edits: Int = 3) -> [UInt8] {
        guard !base.isEmpty else { return base }
        var copy = base
        for _ in 0..<edits {
            copy[Int.random(in: 0..<copy.count, using: &self)] = UInt8.random(in: 0...255, using: &self)
        }
        return copy
    }
}
