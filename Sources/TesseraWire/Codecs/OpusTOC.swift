/// The table-of-contents byte that begins every Opus packet (RFC 6716 §3.1):
///
///     | config  |s| c |
public struct OpusTOC: Sendable, Hashable {
    /// 0-31: mode, bandwidth and frame size (RFC 6716 Table 2).
    public var config: UInt8
    public var isStereo: Bool
    /// 0: one frame, 1: two equal frames, 2: two frames of different size, 3: any number.
    public var frameCountCode: UInt8

    public enum Mode: Sendable, Hashable { case silk, hybrid, celt }
    public enum Bandwidth: Sendable, Hashable { case narrowband, mediumband, wideband, superWideband, fullband }

    public init(_ byte: UInt8) {
        config = byte >> 3
        isStereo = byte & 0x04 != 0
        frameCountCode = byte & 0x03
    }

    public var byte: UInt8 { config << 3 | (isStereo ? 0x04 : 0) | frameCountCode & 0x03 }

    public var mode: Mode {
        switch config {
        case 0...11: .silk
        case 12...15: .hybrid
        default: .celt
        }
    }

    public var bandwidth: Bandwidth {
        switch config {
        case 0...3, 16...19: .narrowband
        case 4...7: .mediumband
        case 8...11, 20...23: .wideband
        case 12...13, 24...27: .superWideband
        default: .fullband
        }
    }

    /// Duration of one frame in microseconds: 10/20/40/60 ms (SILK), 10/20 ms (hybrid),
    /// 2.5/5/10/20 ms (CELT).
    public var frameDurationMicroseconds: Int {
        switch mode {
        case .silk: [10_000, 20_000, 40_000, 60_000][Int(config & 0x03)]
        case .hybrid: [10_000, 20_000][Int(config & 0x01)]
        case .celt: [2_500, 5_000, 10_000, 20_000][Int(config & 0x03)]
        }
    }

    /// Samples per channel in one frame at 48 kHz, the RTP clock of Opus (RFC 7587 §4.1).
    public var samplesPerFrame: Int { frameDurationMicroseconds * 48 / 1000 }
}
