/// One generated corpus file.
struct Seed {
    var name: String
    var bytes: [UInt8]

    init(_ name: String, _ bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }

    init(_ name: String, hex text: String) {
        let digits = Array(text.unicodeScalars.filter { !$0.properties.isWhitespace })
        precondition(digits.count % 2 == 0, "odd hex length in \(name)")
        self.init(name, stride(from: 0, to: digits.count, by: 2).map {
            UInt8(String(String.UnicodeScalarView(digits[$0...$0 + 1])), radix: 16)!
        })
    }
}

/// Deterministic filler bytes (a linear congruential sequence), so payloads are not all zero.
func filler(_ count: Int, seed: UInt32 = 1) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 1_664_525 &+ 1_013_904_223
        return UInt8(truncatingIfNeeded: state >> 24)
    }
}
