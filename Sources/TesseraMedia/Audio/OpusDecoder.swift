import COpus

/// One Opus decoder (RFC 6716) at 48 kHz with 1 or 2 interleaved output channels; the mixer
/// decodes every input to mono. Owns its libopus handle, freed in `deinit`; not `Sendable`:
/// it lives and dies inside the room that created it.
///
/// Every call writes into a caller-provided buffer and returns samples per channel, so the
/// per-tick path allocates nothing. Loss handling: `concealLoss` (PLC) when a packet is
/// missing and nothing later has arrived; `decodeFEC(nextPacket:)` when the packet after the
/// gap is at hand and may carry the lost frame as in-band FEC (RFC 6716 §2.1.7), followed by
/// a normal `decode` of that same next packet.
public final class OpusDecoder {
    public let channels: Int
    private let handle: OpaquePointer

    public init(channels: Int = 1) throws {
        try OpusCodec.validateChannels(channels)
        self.channels = channels
        var error: Int32 = OPUS_OK
        let created = opus_decoder_create(Int32(OpusCodec.sampleRate), Int32(channels), &error)
        // Freed here, not in deinit: an initializer that throws before `handle` is set never deinits.
        guard let created, error == OPUS_OK else {
            if let created { opus_decoder_destroy(created) }
            try OpusCodec.check(error, "opus_decoder_create")
            throw MediaError.resource("opus_decoder_create returned no decoder")
        }
        handle = created
    }

    deinit { opus_decoder_destroy(handle) }

    /// Samples per channel of the last packet decoded or concealed; 0 before the first.
    public var lastPacketDuration: Int {
        var samples: Int32 = 0
        guard (try? OpusCodec.check(tessera_opus_decoder_get_last_packet_duration(handle, &samples),
                                    "OPUS_GET_LAST_PACKET_DURATION")) != nil else { return 0 }
        return Int(samples)
    }

    /// Duration of `packet` in samples per channel at 48 kHz, after checking it is non-empty,
    /// at most `OpusCodec.maxPacketBytes` long and at most 120 ms.
    public static func samplesPerChannel(in packet: UnsafeRawBufferPointer) throws -> Int {
        guard let bytes = packet.baseAddress?.assumingMemoryBound(to: UInt8.self), !packet.isEmpty else {
            throw MediaError.badInput("empty Opus packet")
        }
        guard packet.count <= OpusCodec.maxPacketBytes else {
            throw MediaError.badInput("Opus packet of \(packet.count) bytes exceeds \(OpusCodec.maxPacketBytes)")
        }
        let samples = try OpusCodec.check(
            opus_packet_get_nb_samples(bytes, Int32(packet.count), Int32(OpusCodec.sampleRate)),
            "opus_packet_get_nb_samples")
        guard samples > 0, samples <= OpusCodec.maxSamplesPerChannel else {
            throw MediaError.badInput("Opus packet lasts \(samples) samples; the limit is 120 ms")
        }
        return samples
    }

    /// Decodes one packet into `pcm` (interleaved if stereo); returns samples per channel.
    /// `pcm` must hold the packet's whole duration times `channels`.
    public func decode(_ packet: UnsafeRawBufferPointer, into pcm: UnsafeMutableBufferPointer<Float>) throws -> Int {
        let samples = try Self.samplesPerChannel(in: packet)
        let output = try outputPointer(pcm, holding: samples, "decode")
        return try OpusCodec.check(
            opus_decode_float(handle, packet.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(packet.count),
                              output, Int32(samples), 0),
            "opus_decode_float")
    }

    public func decode(_ packet: ArraySlice<UInt8>, into pcm: inout [Float]) throws -> Int {
        try packet.withUnsafeBytes { bytes in
            try pcm.withUnsafeMutableBufferPointer { try decode(bytes, into: $0) }
        }
    }

    public func decode(_ packet: ArraySlice<UInt8>, into frame: inout PCMFrame) throws -> Int {
        try packet.withUnsafeBytes { bytes in
            try frame.withUnsafeMutableBufferPointer { try decode(bytes, into: $0) }
        }
    }

    /// Packet loss concealment: synthesises the missing audio (opus_decode_float with no
    /// data) for the duration of the last packet, shortened to what `pcm` holds.
    public func concealLoss(into pcm: UnsafeMutableBufferPointer<Float>) throws -> Int {
        let samples = try lossFrameSize(fitting: pcm)
        let output = try outputPointer(pcm, holding: samples, "concealLoss")
        return try OpusCodec.check(
            opus_decode_float(handle, nil, 0, output, Int32(samples), 0), "opus_decode_float (PLC)")
    }

    public func concealLoss(into pcm: inout [Float]) throws -> Int {
        try pcm.withUnsafeMutableBufferPointer { try concealLoss(into: $0) }
    }

    public func concealLoss(into frame: inout PCMFrame) throws -> Int {
        try frame.withUnsafeMutableBufferPointer { try concealLoss(into: $0) }
    }

    /// Recovers the frame lost just before `nextPacket` from that packet's in-band FEC
    /// (decode_fec = 1). Without FEC data in it, libopus conceals instead, so the result is
    /// never worse than `concealLoss`. Decode `nextPacket` normally afterwards.
    public func decodeFEC(nextPacket: UnsafeRawBufferPointer, into pcm: UnsafeMutableBufferPointer<Float>) throws -> Int {
        _ = try Self.samplesPerChannel(in: nextPacket)
        let samples = try lossFrameSize(fitting: pcm)
        let output = try outputPointer(pcm, holding: samples, "decodeFEC")
        return try OpusCodec.check(
            opus_decode_float(handle, nextPacket.baseAddress?.assumingMemoryBound(to: UInt8.self),
                              Int32(nextPacket.count), output, Int32(samples), 1),
            "opus_decode_float (FEC)")
    }

    public func decodeFEC(nextPacket: ArraySlice<UInt8>, into pcm: inout [Float]) throws -> Int {
        try nextPacket.withUnsafeBytes { bytes in
            try pcm.withUnsafeMutableBufferPointer { try decodeFEC(nextPacket: bytes, into: $0) }
        }
    }

    public func decodeFEC(nextPacket: ArraySlice<UInt8>, into frame: inout PCMFrame) throws -> Int {
        try nextPacket.withUnsafeBytes { bytes in
            try frame.withUnsafeMutableBufferPointer { try decodeFEC(nextPacket: bytes, into: $0) }
        }
    }

    /// The missing duration: the last packet's (20 ms before any), cut to whole 2.5 ms
    /// steps that fit `pcm`, as PLC and FEC need a multiple of 2.5 ms.
    private func lossFrameSize(fitting pcm: UnsafeMutableBufferPointer<Float>) throws -> Int {
        let last = lastPacketDuration
        let wanted = last > 0 ? last : OpusCodec.samplesPer20ms
        let step = OpusCodec.sampleRate / 400
        let samples = min(wanted, pcm.count / channels) / step * step
        guard samples > 0 else {
            throw MediaError.badInput("output of \(pcm.count) floats cannot hold 2.5 ms of \(channels)-channel audio")
        }
        return samples
    }

    private func outputPointer(_ pcm: UnsafeMutableBufferPointer<Float>, holding samples: Int, _ operation: String) throws
        -> UnsafeMutablePointer<Float>
    {
        guard let output = pcm.baseAddress, pcm.count >= samples * channels else {
            throw MediaError.badInput(
                "\(operation): output of \(pcm.count) floats is smaller than \(samples) samples × \(channels) channels")
        }
        return output
    }
}
