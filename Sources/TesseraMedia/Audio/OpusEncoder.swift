import COpus

/// One Opus encoder (RFC 6716) at 48 kHz, mono or interleaved stereo. Owns its libopus
/// handle, freed in `deinit`; not `Sendable`: it lives and dies inside the room that
/// created it. Settings go through `opus_encoder_ctl` (via the `tessera_opus_*` shims).
///
/// `encode` reads one frame and writes into a caller-provided buffer, so the per-tick path
/// allocates nothing.
public final class OpusEncoder {
    /// The libopus application mode, fixed at creation.
    public enum Application: Sendable {
        /// Speech: favours intelligibility, enables the SILK layer (what the room mix uses).
        case voip
        /// Music and mixed content: favours fidelity.
        case audio
    }

    public let channels: Int
    public let application: Application
    private let handle: OpaquePointer

    public init(channels: Int = 1, application: Application = .voip) throws {
        try OpusCodec.validateChannels(channels)
        self.channels = channels
        self.application = application
        var error: Int32 = OPUS_OK
        let mode = application == .voip ? OPUS_APPLICATION_VOIP : OPUS_APPLICATION_AUDIO
        let created = opus_encoder_create(Int32(OpusCodec.sampleRate), Int32(channels), mode, &error)
        // Freed here, not in deinit: an initializer that throws before `handle` is set never deinits.
        guard let created, error == OPUS_OK else {
            if let created { opus_encoder_destroy(created) }
            try OpusCodec.check(error, "opus_encoder_create")
            throw MediaError.resource("opus_encoder_create returned no encoder")
        }
        handle = created
    }

    deinit { opus_encoder_destroy(handle) }

    /// Target bitrate in bits per second (libopus accepts 500 … 512 000).
    public func setBitrate(_ bitsPerSecond: Int) throws {
        try OpusCodec.check(tessera_opus_set_bitrate(handle, Self.int32(bitsPerSecond)), "OPUS_SET_BITRATE")
    }

    /// Computational complexity, 0 (cheapest) … 10 (best quality).
    public func setComplexity(_ complexity: Int) throws {
        try OpusCodec.check(tessera_opus_set_complexity(handle, Self.int32(complexity)), "OPUS_SET_COMPLEXITY")
    }

    /// The complexity the encoder runs at (libopus' default is 9).
    public func complexity() throws -> Int {
        var value: Int32 = 0
        try OpusCodec.check(tessera_opus_get_complexity(handle, &value), "OPUS_GET_COMPLEXITY")
        return Int(value)
    }

    /// In-band FEC (RFC 6716 §2.1.7): each packet also carries a low-rate copy of the
    /// previous frame. libopus only spends bits on it when the expected loss is above zero,
    /// so both are set together.
    public func setInbandFEC(_ enabled: Bool, expectedPacketLossPercent: Int) throws {
        try OpusCodec.check(tessera_opus_set_inband_fec(handle, enabled ? 1 : 0), "OPUS_SET_INBAND_FEC")
        try setExpectedPacketLoss(percent: expectedPacketLossPercent)
    }

    /// Expected packet loss, 0 … 100 %, from receiver reports; tunes FEC and robustness.
    public func setExpectedPacketLoss(percent: Int) throws {
        try OpusCodec.check(tessera_opus_set_packet_loss_perc(handle, Self.int32(percent)), "OPUS_SET_PACKET_LOSS_PERC")
    }

    /// Discontinuous transmission: during silence `encode` returns packets of at most
    /// 2 bytes, which need not be sent.
    public func setDTX(_ enabled: Bool) throws {
        try OpusCodec.check(tessera_opus_set_dtx(handle, enabled ? 1 : 0), "OPUS_SET_DTX")
    }

    /// Encoder delay in samples per channel at 48 kHz.
    public func lookahead() throws -> Int {
        var samples: Int32 = 0
        try OpusCodec.check(tessera_opus_get_lookahead(handle, &samples), "OPUS_GET_LOOKAHEAD")
        return Int(samples)
    }

    /// Encodes one frame of interleaved PCM (2.5, 5, 10, 20, 40 or 60 ms; the mixer uses
    /// 20 ms = 960 samples per channel) into `packet`; returns the packet's length in bytes.
    public func encode(_ pcm: UnsafeBufferPointer<Float>, into packet: UnsafeMutableRawBufferPointer) throws -> Int {
        let samples = pcm.count / channels
        guard pcm.count % channels == 0, Self.frameSizes.contains(samples), let input = pcm.baseAddress else {
            throw MediaError.badInput("\(pcm.count) floats is not one Opus frame of \(channels) channel(s)")
        }
        guard let output = packet.baseAddress?.assumingMemoryBound(to: UInt8.self), !packet.isEmpty else {
            throw MediaError.badInput("empty output buffer for Opus encode")
        }
        return try OpusCodec.check(
            opus_encode_float(handle, input, Int32(samples), output, Self.int32(packet.count)), "opus_encode_float")
    }

    public func encode(_ pcm: [Float], into packet: inout [UInt8]) throws -> Int {
        try pcm.withUnsafeBufferPointer { input in
            try packet.withUnsafeMutableBytes { try encode(input, into: $0) }
        }
    }

    public func encode(_ frame: PCMFrame, into packet: inout [UInt8]) throws -> Int {
        try frame.withUnsafeBufferPointer { input in
            try packet.withUnsafeMutableBytes { try encode(input, into: $0) }
        }
    }

    /// Frame durations libopus encodes, in samples per channel at 48 kHz.
    private static let frameSizes: Set<Int> = [120, 240, 480, 960, 1920, 2880]

    private static func int32(_ value: Int) -> Int32 {
        Int32(clamping: value)
    }
}
