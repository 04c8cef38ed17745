import TesseraMedia
import TesseraTransport

/// One participant's microphone inside the room: its playout buffer, its Opus decoder,
/// and a short queue of decoded samples the audio tick takes from.
///
/// Each tick takes the packets due, decodes them into the queue and pulls exactly one
/// tick (`MixerSettings.audioInterval`); a 20 ms packet lasts two 10 ms ticks, a 120 ms
/// one twelve. When the queue runs short while the input is live, Opus packet-loss
/// concealment fills the gap; after `concealFor` without packets the input is silent and
/// leaves the mix. Audio that stays queued longer than a packet lasts was never needed
/// (the playout delay shrank, or two packets came due at once) and only adds latency, so
/// it is dropped; the queue is also capped at `maximumQueue`.
final class AudioInput {
    var playout = PlayoutBuffer<InboundFrame>(clockRate: OpusCodec.sampleRate)
    private let decoder: OpusDecoder
    private var queue: [Float]
    private var scratch: [Float]
    /// This tick's audio, valid when `pull` returned something other than `.silent`.
    private(set) var pcm = PCMFrame(count: MixerSettings.samplesPerAudioTick)
    /// RFC 6464 level the sender put on its newest packet, when it sends one.
    private(set) var senderLevel: UInt8?
    private(set) var ssrc: UInt32?
    private var lastPacket: Duration?
    /// The arrival of the newest packet the latest `pull` decoded, moved earlier by the
    /// ticks queued ahead of it, so that the tick time minus this is when its first sample
    /// is mixed; nil when it decoded none.
    private(set) var freshArrival: Duration?
    /// Packets the latest `pull` decoded (a 20 ms packet feeds two 10 ms ticks).
    private(set) var packetsDecoded = 0
    private(set) var decodeErrors = 0
    /// Ticks of audio dropped to take back latency (see `pull`).
    private(set) var droppedFrames = 0
    /// The fewest samples left queued after a tick in this window, and the ticks it has run.
    private var lowWater = Int.max
    private var windowTicks = 0
    /// Ticks the newest packet lasted: it legitimately keeps audio queued that long.
    private var packetTicks = 1

    /// Samples kept queued before the oldest are dropped: the longest packet and 20 ms.
    static let maximumQueue = OpusCodec.maxSamplesPerChannel + OpusCodec.samplesPer20ms

    enum Pulled: Equatable { case decoded, concealed, silent }

    init() throws {
        decoder = try OpusDecoder(channels: 1)
        queue = []
        queue.reserveCapacity(Self.maximumQueue + OpusCodec.maxSamplesPerChannel)
        scratch = [Float](repeating: 0, count: OpusCodec.maxSamplesPerChannel)
    }

    func insert(_ frame: InboundFrame) {
        ssrc = frame.ssrc
        playout.insert(frame, rtpTimestamp: frame.rtpTimestamp, arrival: frame.arrival)
    }

    /// Decodes what is due at `now` and fills `pcm` with the next tick's audio.
    func pull(at now: Duration, concealFor: Duration) -> Pulled {
        let tick = pcm.count
        freshArrival = nil
        packetsDecoded = 0
        while let frame = playout.popDue(at: now) {
            do {
                let ahead = queue.count / tick
                let samples = try decoder.decode(frame.data[...], into: &scratch)
                queue.append(contentsOf: scratch[0..<samples])
                packetTicks = max(1, (samples + tick - 1) / tick)
                lastPacket = now
                freshArrival = frame.arrival - MixerSettings.audioInterval * ahead
                packetsDecoded += 1
                senderLevel = frame.audioLevel
            } catch {
                decodeErrors += 1
            }
        }
        if queue.count > Self.maximumQueue {
            let excess = queue.count - Self.maximumQueue
            queue.removeFirst(excess)
            droppedFrames += (excess + tick - 1) / tick
        }
        var pulled = Pulled.decoded
        if queue.count < tick {
            guard let lastPacket, now - lastPacket <= concealFor else {
                queue.removeAll(keepingCapacity: true)
                lowWater = .max
                windowTicks = 0
                return .silent
            }
            // Only the shortfall, in the 2.5 ms steps PLC works in: concealing a whole
            // packet's length would leave audio queued once the late packet comes.
            let step = OpusCodec.sampleRate / 400
            while queue.count < tick {
                let shortfall = (tick - queue.count + step - 1) / step * step
                let concealed = scratch.withUnsafeMutableBufferPointer { buffer in
                    try? decoder.concealLoss(into: UnsafeMutableBufferPointer(rebasing: buffer[0..<shortfall]))
                }
                guard let concealed, concealed > 0 else { return .silent }
                queue.append(contentsOf: scratch[0..<concealed])
            }
            pulled = .concealed
        }
        pcm.withUnsafeMutableBufferPointer { target in
            for index in 0..<target.count { target[index] = queue[index] }
        }
        queue.removeFirst(tick)
        dropSurplus(tick: tick)
        return pulled
    }

    /// Drops the whole ticks that stayed queued through a window one tick longer than a
    /// packet lasts (30 ms for 20 ms packets, which leave 10 ms queued every other tick):
    /// every tick of it left at least that much behind, so it only delays the input (and
    /// puts its audio behind its video).
    private func dropSurplus(tick: Int) {
        lowWater = min(lowWater, queue.count)
        windowTicks += 1
        guard windowTicks > packetTicks else { return }
        let surplus = lowWater / tick
        if surplus > 0 {
            queue.removeFirst(surplus * tick)
            droppedFrames += surplus
        }
        lowWater = .max
        windowTicks = 0
    }

    /// The level to detect speech on: the sender's RFC 6464 value when it sends one,
    /// otherwise measured on the decoded audio.
    var level: UInt8 { senderLevel ?? pcm.levelDBov }
}
