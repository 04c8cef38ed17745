#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed length of mono 48 kHz audio as floats in [-1, 1]: the mixer's unit of work (one
/// audio tick) or one decoded Opus packet. Its storage is allocated once, at `init`, and
/// reused; nothing here allocates. Frames mixed together have the same length.
public struct PCMFrame: Sendable {
    /// Always exactly `count` samples.
    public private(set) var samples: [Float]

    /// A silent frame of `count` samples (20 ms unless told).
    public init(count: Int = OpusCodec.samplesPer20ms) {
        precondition(count > 0, "a PCM frame holds at least one sample")
        samples = [Float](repeating: 0, count: count)
    }

    public var count: Int { samples.count }

    public subscript(index: Int) -> Float {
        get { samples[index] }
        set { samples[index] = newValue }
    }

    /// Gives `body` the storage to fill in place (decoders write here).
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try samples.withUnsafeMutableBufferPointer { try body($0) }
    }

    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try samples.withUnsafeBufferPointer { try body($0) }
    }

    /// Sets every sample to zero.
    public mutating func clear() {
        samples.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }

    /// Overwrites this frame with `other`'s samples, in place (no copy-on-write allocation).
    public mutating func assign(_ other: PCMFrame) {
        other.samples.withUnsafeBufferPointer { source in
            samples.withUnsafeMutableBufferPointer { target in
                precondition(source.count == target.count, "frames of different lengths")
                for index in 0..<target.count { target[index] = source[index] }
            }
        }
    }

    /// Mix-add: `self += other × gain`, sample by sample.
    public mutating func mixAdd(_ other: PCMFrame, gain: Float = 1) {
        other.samples.withUnsafeBufferPointer { source in
            samples.withUnsafeMutableBufferPointer { target in
                precondition(source.count == target.count, "frames of different lengths")
                for index in 0..<target.count { target[index] += source[index] * gain }
            }
        }
    }

    /// Root mean square, where 1.0 is a full-scale square wave (0 dBov).
    public var rms: Float {
        samples.withUnsafeBufferPointer { buffer in
            var sum: Float = 0
            for sample in buffer { sum += sample * sample }
            return (sum / Float(buffer.count)).squareRoot()
        }
    }

    /// Audio level for the RFC 6464 client-to-mixer header extension: −dBov from 0 (loudest)
    /// to 127 (−127 dBov or quieter, including silence). A full-scale sine is 3.
    public var levelDBov: UInt8 {
        let rms = Double(self.rms)
        guard rms.isFinite, rms > 0 else { return 127 }
        let dBov = 20 * log10(rms)
        return UInt8(min(127, max(0, (-dBov).rounded())))
    }

    /// Soft limiter: samples within ±`knee` pass unchanged; above it the curve bends
    /// smoothly (tanh, matched in value and slope at the knee) towards ±1 without reaching
    /// it. Monotonic and odd, so it never flips a sign or wraps; NaN becomes 0.
    public mutating func softLimit(knee: Float = 0.8) {
        let knee = min(max(knee, 0), 0.99)
        let headroom = 1 - knee
        samples.withUnsafeMutableBufferPointer { buffer in
            for index in 0..<buffer.count {
                let sample = buffer[index]
                let magnitude = abs(sample)
                if magnitude <= knee { continue }
                if sample.isNaN { buffer[index] = 0; continue }
                let limited = knee + headroom * tanh((magnitude - knee) / headroom)
                buffer[index] = sample < 0 ? -limited : limited
            }
        }
    }
}
