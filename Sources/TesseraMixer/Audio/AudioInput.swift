import TesseraMedia
import TesseraTransport

/// One participant's microphone inside the room: its playout buffer, its Opus decoder,
/// and a short queue of decoded samples the 20 ms audio tick takes from.
///
/// Each tick takes the packets due, decodes them into the queue and pulls exactly 20 ms.
/// When the queue runs short while the input is live, Opus packet-loss concealment fills
/// the gap; after `concealFor` without packets the input is silent and leaves the mix.
/// The queue is bounded: a sender whose clock runs fast loses its oldest samples instead
/// of adding latency.
final class AudioInput {
    var playout = PlayoutBuffer<InboundFrame>(clockRate: OpusCodec.sampleRate)
    private let decoder: OpusDecoder
    private var queue: [Float]
    private var scratch: [Float]
    /// This tick's 20 ms, valid when `pull` returned something other than `.silent`.
    private(set) var pcm = PCMFrame()
    /// RFC 6464 level the sender put on its newest packet, when it sends one.
    private(set) var senderLevel: UInt8?
    private(set) var ssrc: UInt32?
    private var lastPacket: Duration?
    /// When the newest packet decoded by the latest `pull` arrived; nil when it decoded none.
    private(set) var freshArrival: Duration?
    private(set) var decodeErrors = 0
    /// 20 ms frames dropped to take back latency (see `pull`).
    private(set) var droppedFrames = 0
    private var surplusTicks = 0
    /// Ticks a surplus frame may stay queued (absorbs one late tick's burst).
    static let surplusTolerance = 3

    /// Samples kept beyond one frame before the oldest are dropped (60 ms).
    static let maximumQueue = OpusCodec.samplesPer20ms * 4

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

    /// Decodes what is due at `now` and fills `pcm` with the next 20 ms.
    func pull(at now: Duration, concealFor: Duration) -> Pulled {
        freshArrival = nil
        while let frame = playout.popDue(at: now) {
            do {
                let samples = try decoder.decode(frame.data[...], into: &scratch)
                queue.append(contentsOf: scratch[0..<samples])
                lastPacket = now
                freshArrival = frame.arrival
                senderLevel = frame.audioLevel
            } catch {
                decodeErrors += 1
            }
        }
        if queue.count > Self.maximumQueue { queue.removeFirst(queue.count - Self.maximumQueue) }
        var pulled = Pulled.decoded
        if queue.count < PCMFrame.capacity {
            guard let lastPacket, now - lastPacket <= concealFor else {
                queue.removeAll(keepingCapacity: true)
                return .silent
            }
            while queue.count < PCMFrame.capacity {
                guard let samples = try? decoder.concealLoss(into: &scratch), samples > 0 else { return .silent }
                queue.append(contentsOf: scratch[0..<samples])
            }
            pulled = .concealed
        }
        pcm.withUnsafeMutableBufferPointer { target in
            for index in 0..<PCMFrame.capacity { target[index] = queue[index] }
        }
        queue.removeFirst(PCMFrame.capacity)
        // A whole frame left over tick after tick means the playout delay shrank and two
        // packets came due at once: that frame would add 20 ms of latency for good (and
        // put audio behind its video), so it is dropped.
        surplusTicks = queue.count >= PCMFrame.capacity ? surplusTicks + 1 : 0
        if surplusTicks >= Self.surplusTolerance {
            queue.removeFirst(PCMFrame.capacity)
            droppedFrames += 1
            surplusTicks = 0
        }
        return pulled
    }

    /// The level to detect speech on: the sender's RFC 6464 value when it sends one,
    /// otherwise measured on the decoded audio.
    var level: UInt8 { senderLevel ?? pcm.levelDBov }
}
