#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TesseraMedia

/// Signals and measurements for the audio tests, computed independently of the code under test.
enum AudioTestSignals {
    static let sampleRate = 48_000.0
    static let frame = 960

    /// `frames` × 20 ms of a sine; `startFrame` shifts the phase so consecutive calls join up.
    static func sine(_ frequency: Double, amplitude: Float, frames: Int = 1, startFrame: Int = 0) -> [Float] {
        (0..<(frames * frame)).map { index in
            let n = Double(startFrame * frame + index)
            return amplitude * Float(sin(2 * Double.pi * frequency * n / sampleRate))
        }
    }

    /// Magnitude of the signal's component at `frequency` (one DFT bin, Goertzel-equivalent).
    static func magnitude(of samples: ArraySlice<Float>, at frequency: Double) -> Double {
        var real = 0.0, imaginary = 0.0
        for (offset, sample) in samples.enumerated() {
            let phase = 2 * Double.pi * frequency * Double(offset) / sampleRate
            real += Double(sample) * cos(phase)
            imaginary -= Double(sample) * sin(phase)
        }
        return (real * real + imaginary * imaginary).squareRoot() / Double(samples.count)
    }

    static func rms(_ samples: ArraySlice<Float>) -> Double {
        guard !samples.isEmpty else { return 0 }
        return (samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(samples.count)).squareRoot()
    }

    static func decibels(_ ratio: Double) -> Double { 20 * log10(ratio) }

    /// Encodes `pcm` (mono, whole 20 ms frames) into one packet per frame.
    static func encodeFrames(_ pcm: [Float], with encoder: OpusEncoder) throws -> [[UInt8]] {
        var packet = [UInt8](repeating: 0, count: OpusCodec.maxPacketBytes)
        return try stride(from: 0, to: pcm.count, by: frame).map { start in
            let length = try encoder.encode(Array(pcm[start..<(start + frame)]), into: &packet)
            return Array(packet[..<length])
        }
    }

    /// SplitMix64: deterministic bytes for the garbage-input test.
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
    }

    /// Expects `body` to throw a `MediaError` of `kind`.
    static func expectMediaError<R>(
        _ kind: MediaError.Kind, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> R
    ) {
        let error = #expect(throws: MediaError.self, sourceLocation: sourceLocation) { _ = try body() }
        #expect(error?.kind == kind, "got \(String(describing: error))", sourceLocation: sourceLocation)
    }
}
