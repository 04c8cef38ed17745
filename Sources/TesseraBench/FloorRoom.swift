import Foundation
import TesseraMedia
import TesseraMixer

/// The physical floor of a room: exactly the codec work, in a bare loop over the same
/// libraries and settings as the mixer (libvpx one thread realtime CBR, swscale bilinear,
/// libopus), and nothing else: no network, no jitter buffers, no lip-sync, no events.
/// Every 1/fps: each input's due VP8 frames decoded, its newest picture scaled into its
/// grid cell of the canvas, one encode. Every audio tick (10 ms): each input's due Opus
/// packets decoded and one tick taken from what they gave, the full mix encoded once and
/// each of the K = min(3, N) loudest inputs' N-1 mixes encoded (the most the design
/// encodes).
final class FloorRoom {
    private let settings: MixerSettings
    private let inputs: BenchInputs
    private var video: [PacketCursor]
    private var audio: [PacketCursor]
    private let decoders: [VP8Decoder]
    private var pictures: [I420Frame?]
    private let opusDecoders: [OpusDecoder]
    private let encoder: VP8Encoder
    private let opusEncoders: [OpusEncoder]
    private let scaler = I420Scaler()
    private let canvas: I420Frame
    private let cells: [FrameRect]
    /// Each input's decoded samples not yet mixed (a 20 ms packet lasts two ticks).
    private var pcm: [[Float]]
    private var mix = [Float](repeating: 0, count: MixerSettings.samplesPerAudioTick)
    private var personal = [Float](repeating: 0, count: MixerSettings.samplesPerAudioTick)
    private var scratch = [Float](repeating: 0, count: OpusCodec.maxSamplesPerChannel)
    private var packet = [UInt8](repeating: 0, count: 1_500)
    private(set) var framesEncoded = 0
    private(set) var bytesEncoded = 0

    /// The encoder's error so far (with `measuresQuality`).
    var quality: VP8Quality { encoder.quality }
    /// The libvpx cpu-used the floor encodes at.
    var cpuUsed: Int { encoder.speed }

    /// `cpuUsed` replaces the room's libvpx cpu-used (a comparison, not the room's work).
    init(settings: MixerSettings, inputs: BenchInputs, measuresQuality: Bool = false, cpuUsed: Int? = nil) throws {
        self.settings = settings
        self.inputs = inputs
        let count = inputs.participants.count
        video = inputs.participants.map { PacketCursor($0.video, period: $0.period) }
        audio = inputs.participants.map { PacketCursor($0.audio, period: $0.period) }
        decoders = try (0..<count).map { _ in try VP8Decoder(pool: I420FramePool(capacity: 3)) }
        pictures = Array(repeating: nil, count: count)
        opusDecoders = try (0..<count).map { _ in try OpusDecoder(channels: 1) }
        var vp8 = settings.vp8Settings(speed: settings.encoderSpeed, measuresQuality: measuresQuality)
        if let cpuUsed { vp8.speed = cpuUsed }
        encoder = try VP8Encoder(vp8)
        opusEncoders = try (0...min(3, count)).map { _ in try MixerSettings.makeMixEncoder(bitrate: settings.audioBitrate) }
        canvas = I420Frame(width: settings.width, height: settings.height)
        canvas.fill(y: 16, u: 128, v: 128)
        cells = LayoutGeometry.grid(count: count, width: settings.width, height: settings.height)
        pcm = Array(repeating: [], count: count)
        for index in pcm.indices { pcm[index].reserveCapacity(2 * OpusCodec.maxSamplesPerChannel) }
    }

    /// Runs `duration` of room time as fast as the CPU allows or, `paced`, each tick at its
    /// room time as a live room does (the CPU idles in between).
    func run(for duration: Duration, paced: Bool = false) throws {
        let clock = ContinuousClock()
        let start = clock.now
        try forEachTick(for: duration, frameInterval: settings.frameInterval) { tick in
            if paced { Thread.sleep(forTimeInterval: max(0, (tick.time - (clock.now - start)).seconds)) }
            switch tick {
            case .audio(let time): try mixAudio(at: time)
            case .video(let time): try composite(at: time)
            }
        }
    }

    private func composite(at time: Duration) throws {
        for index in decoders.indices {
            while let (packet, _) = video[index].next(dueBy: time) {
                guard let picture = try decoders[index].decode(packet.data) else { continue }
                if let old = pictures[index] { decoders[index].pool.recycle(old) }
                pictures[index] = picture
            }
            guard let picture = pictures[index] else { continue }
            let inner = cells[index].inset(by: 2)
            try scaler.scale(picture, into: canvas, rect: inner.fitting(sourceWidth: picture.width, sourceHeight: picture.height))
        }
        for frame in try encoder.encode(canvas, pts: Int64(framesEncoded)) { bytesEncoded += frame.bytes.count }
        framesEncoded += 1
    }

    private func mixAudio(at time: Duration) throws {
        let tick = mix.count
        for index in opusDecoders.indices {
            while let (packet, _) = audio[index].next(dueBy: time) {
                let samples = try opusDecoders[index].decode(packet.data[...], into: &scratch)
                pcm[index].append(contentsOf: scratch[0..<samples])
            }
            // An input short of a tick is padded with silence (the room would conceal).
            while pcm[index].count < tick { pcm[index].append(0) }
        }
        for sample in mix.indices { mix[sample] = 0 }
        for input in pcm.indices {
            for sample in mix.indices { mix[sample] += pcm[input][sample] }
        }
        _ = try opusEncoders[0].encode(mix, into: &packet)
        for (speaker, encoder) in opusEncoders.dropFirst().enumerated() {
            for sample in personal.indices { personal[sample] = mix[sample] - pcm[speaker][sample] }
            _ = try encoder.encode(personal, into: &packet)
        }
        for index in pcm.indices { pcm[index].removeFirst(tick) }
    }
}
