import Foundation
import TesseraMedia
import TesseraMixer
import TesseraTransport

/// Drives a `RoomMixer` under a manual clock: synthetic participants send every 20 ms
/// (audio) and 1/30 s (video), the room ticks on its schedule, and every receiver's output
/// is decoded with real decoders, as a client would.
final class MixerHarness {
    let mixer: RoomMixer
    let settings: MixerSettings
    private(set) var senders: [SyntheticParticipant] = []
    /// Senders whose camera stopped (no more video frames).
    var stalledVideo: Set<String> = []
    /// Senders whose audio stopped arriving.
    var stalledAudio: Set<String> = []
    /// Decoded audio per receiver, and the composite's decoded frames with their tick time.
    private(set) var audio: [String: [Float]] = [:]
    private var audioDecoders: [String: OpusDecoder] = [:]
    private let videoDecoder: VP8Decoder
    private(set) var videoFrames: [(time: Duration, frame: I420Frame)] = []
    private(set) var videoTimestamps: [UInt32] = []
    private(set) var audioPacketsSent: [String: Int] = [:]
    private(set) var keyframeRequests: [String] = []
    private var scratch = [Float](repeating: 0, count: OpusCodec.maxSamplesPerChannel)
    private(set) var now: Duration = .zero
    private var nextAudioSend: Duration = .zero
    private var nextVideoSend: Duration = .zero
    private var audioIndex: Int64 = 1
    private var videoIndex: Int64 = 1
    /// Whether the video ticks follow the inputs' phase, as a live room's do
    /// (`RoomMixer.videoTickShift`); off, they stay on multiples of the frame interval.
    var alignsVideoTicks = true
    /// Where the video grid stands after the moves made, and the moves.
    private var videoBase: Duration = .zero
    private(set) var videoTickShifts: [VideoTickAlignment.Shift] = []
    /// How long each sender's Opus packets last (WebRTC sends 20 ms; Opus allows up to 120).
    var audioPacket: Duration = .milliseconds(20)
    /// When in each packet interval the senders send their audio. Off the millisecond
    /// grid by default: real packets never fall due exactly on a tick, where the float
    /// rounding of the playout time would move some of them to the next tick.
    var audioPhase: Duration = .microseconds(500)
    /// Network delay added to every input frame, and more for the video of some senders.
    var networkDelay: Duration = .milliseconds(5)
    var extraVideoDelay: [String: Duration] = [:]
    /// Extra delay of each frame sent at a given time (network jitter), if any.
    var jitter: ((Duration) -> Duration)?
    /// Where to measure the mean luma of every decoded composite, and the measurements.
    var probe: FrameRect?
    private(set) var probes: [(time: Duration, y: Double)] = []
    /// Mixer-added latency of every input frame (tick time minus its arrival).
    private(set) var audioLatencies: [Duration] = []
    private(set) var videoLatencies: [Duration] = []
    /// When each receiver's first audio packet plays (its decoded audio starts there).
    private(set) var audioStart: [String: Duration] = [:]
    /// Frames sent but not yet arrived: the mixer gets each at its arrival time, as the
    /// media port would hand it over, never earlier.
    private var inFlight: [(arrival: Duration, id: String, frame: InboundFrame)] = []

    init(settings: MixerSettings) throws {
        self.settings = settings
        mixer = try RoomMixer(settings: settings, epoch: .zero)
        videoDecoder = try VP8Decoder(pool: I420FramePool(capacity: 8))
    }

    func add(_ sender: SyntheticParticipant, receives: Bool = true) {
        senders.append(sender)
        mixer.add(MixerParticipant(id: sender.id, isPublisher: true, receivesAudio: receives, receivesVideo: receives), now: now)
    }

    func addViewer(_ id: String) {
        mixer.add(MixerParticipant(id: id, isPublisher: false, receivesAudio: true, receivesVideo: true), now: now)
    }

    func remove(_ id: String) {
        senders.removeAll { $0.id == id }
        mixer.remove(id)
    }

    /// Advances the manual clock by `duration`, 1 ms at a time, sending and ticking as due.
    func run(for duration: Duration) throws {
        let end = now + duration
        while now < end {
            now += .milliseconds(1)
            if now >= nextAudioSend {
                for sender in senders {
                    let frame = try sender.nextAudio(
                        arrival: now + audioPhase + networkDelay + (jitter?(now) ?? .zero),
                        samples: Int(audioPacket / .milliseconds(1)) * 48)
                    if !stalledAudio.contains(sender.id) { send(frame, from: sender.id) }
                }
                nextAudioSend += audioPacket
            }
            if now >= nextVideoSend {
                for sender in senders where !stalledVideo.contains(sender.id) {
                    let arrival = now + networkDelay + (extraVideoDelay[sender.id] ?? .zero) + (jitter?(now) ?? .zero)
                    send(try sender.nextVideo(arrival: arrival), from: sender.id)
                }
                nextVideoSend += .seconds(1) / 30
            }
            deliverArrived()
            let audioAt = MixerSettings.audioInterval * audioIndex
            if audioAt <= now {
                let mixed = mixer.mixAudio(at: audioAt)
                audioLatencies += mixed.inputArrivals.map { audioAt - $0 }
                collect(mixed)
                audioIndex += 1
            }
            let videoAt = videoBase + settings.frameInterval * videoIndex
            if videoAt <= now {
                let mixed = mixer.mixVideo(at: videoAt)
                videoLatencies += mixed.inputArrivals.map { videoAt - $0 }
                try collect(mixed, at: videoAt)
                videoIndex += 1
                if alignsVideoTicks, let shift = mixer.videoTickShift(now: videoAt) {
                    videoBase += shift.offset
                    videoTickShifts.append(shift)
                }
            }
        }
    }

    private func send(_ frame: InboundFrame, from id: String) {
        inFlight.append((frame.arrival, id, frame))
    }

    /// Hands the mixer every frame that has arrived by now, in arrival order.
    private func deliverArrived() {
        let arrived = inFlight.filter { $0.arrival <= now }.sorted { $0.arrival < $1.arrival }
        guard !arrived.isEmpty else { return }
        inFlight.removeAll { $0.arrival <= now }
        for entry in arrived where senders.contains(where: { $0.id == entry.id }) {
            mixer.receive(entry.frame, from: entry.id)
        }
    }

    private func collect(_ mixed: RoomMixer.MixedAudio) {
        for packet in mixed.packets {
            for receiver in packet.receivers {
                audioPacketsSent[receiver, default: 0] += 1
                if audioStart[receiver] == nil { audioStart[receiver] = packet.frame.captureTime }
                if audioDecoders[receiver] == nil { audioDecoders[receiver] = try? OpusDecoder(channels: 1) }
                guard let decoder = audioDecoders[receiver],
                      let samples = try? decoder.decode(packet.frame.data[...], into: &scratch)
                else { continue }
                audio[receiver, default: []].append(contentsOf: scratch[0..<samples])
            }
        }
    }

    private func collect(_ mixed: RoomMixer.MixedVideo, at time: Duration) throws {
        keyframeRequests += mixed.keyframeNeeded
        for sender in senders where mixed.keyframeNeeded.contains(sender.id) { sender.requestKeyframe() }
        guard let frame = mixed.frame else { return }
        videoTimestamps.append(frame.rtpTimestamp)
        if let picture = try videoDecoder.decode(frame.data) {
            videoFrames.append((time, picture))
            if let probe { probes.append((time, Signal.meanColour(picture, in: probe).y)) }
            if videoFrames.count > 4 {
                videoDecoder.pool.recycle(videoFrames.removeFirst().frame)
            }
        }
    }

    /// The newest decoded composite.
    var lastFrame: I420Frame? { videoFrames.last?.frame }

    /// Level in dB (relative) of `frequency` in the last `seconds` of `receiver`'s audio.
    func toneLevel(_ frequency: Double, receiver: String, seconds: Double = 0.5) -> Double {
        let samples = audio[receiver] ?? []
        let count = min(samples.count, Int(seconds * 48_000))
        return Signal.levelDB(of: frequency, in: samples.suffix(count))
    }
}

/// Small measurement helpers for the mixer tests.
enum Signal {
    /// Goertzel power of `frequency` over a Hann-windowed block, in dB.
    static func levelDB(of frequency: Double, in samples: ArraySlice<Float>) -> Double {
        let count = samples.count
        guard count > 0 else { return -200 }
        let coefficient = 2 * cos(2 * Double.pi * frequency / 48_000)
        var s1 = 0.0
        var s2 = 0.0
        for (index, sample) in samples.enumerated() {
            let window = 0.5 - 0.5 * cos(2 * Double.pi * Double(index) / Double(count - 1))
            let s0 = Double(sample) * window + coefficient * s1 - s2
            s2 = s1
            s1 = s0
        }
        let power = s1 * s1 + s2 * s2 - coefficient * s1 * s2
        return 10 * log10(max(power, 1e-20) / Double(count * count))
    }

    /// Mean Y, U, V inside `rect` of `frame`, shrunk by a quarter on each side (away from edges).
    static func meanColour(_ frame: I420Frame, in rect: FrameRect) -> (y: Double, u: Double, v: Double) {
        let inner = FrameRect(
            x: (rect.x + rect.width / 4) & ~1, y: (rect.y + rect.height / 4) & ~1, width: (rect.width / 2) & ~1,
            height: (rect.height / 2) & ~1)
        var sum = (y: 0.0, u: 0.0, v: 0.0)
        for row in inner.y..<(inner.y + inner.height) {
            for column in inner.x..<(inner.x + inner.width) { sum.y += Double(frame.planeY[row * frame.strideY + column]) }
        }
        for row in (inner.y / 2)..<((inner.y + inner.height) / 2) {
            for column in (inner.x / 2)..<((inner.x + inner.width) / 2) {
                sum.u += Double(frame.planeU[row * frame.strideUV + column])
                sum.v += Double(frame.planeV[row * frame.strideUV + column])
            }
        }
        let luma = Double(inner.width * inner.height)
        let chroma = luma / 4
        return (sum.y / luma, sum.u / chroma, sum.v / chroma)
    }

    static func isClose(_ measured: (y: Double, u: Double, v: Double), to colour: (y: UInt8, u: UInt8, v: UInt8), within tolerance: Double) -> Bool {
        abs(measured.y - Double(colour.y)) <= tolerance && abs(measured.u - Double(colour.u)) <= tolerance
            && abs(measured.v - Double(colour.v)) <= tolerance
    }
}
