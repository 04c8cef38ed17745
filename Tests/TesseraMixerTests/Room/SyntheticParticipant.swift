import Foundation
import TesseraMedia
import TesseraMixer
import TesseraTransport

/// A made-up participant for mixer tests: a solid colour through a real VP8 encoder and a
/// pure tone through a real Opus encoder, as the frames its session would hand the room.
final class SyntheticParticipant {
    let id: String
    let colour: (y: UInt8, u: UInt8, v: UInt8)
    let tone: Double
    let audioSSRC: UInt32
    let videoSSRC: UInt32
    private let picture: I420Frame
    private let videoEncoder: VP8Encoder
    private let audioEncoder: OpusEncoder
    private var phase = 0.0
    private var sampleIndex: Int64 = 0
    private var videoIndex: Int64 = 0
    private var packet = [UInt8](repeating: 0, count: OpusCodec.maxPacketBytes)
    var amplitude: Float = 0.3
    /// When set, the amplitude of sample n (since the first) instead of `amplitude` (beeps).
    var amplitudeAt: ((Int64) -> Float)?
    /// When set, the colour of video frame n instead of `colour` (flashes).
    var colourAt: ((Int64) -> (y: UInt8, u: UInt8, v: UInt8))?

    init(id: String, colour: (y: UInt8, u: UInt8, v: UInt8), tone: Double, ssrcBase: UInt32, width: Int = 320, height: Int = 180) throws {
        self.id = id
        self.colour = colour
        self.tone = tone
        audioSSRC = ssrcBase
        videoSSRC = ssrcBase + 1
        picture = I420Frame(width: width, height: height)
        picture.fill(y: colour.y, u: colour.u, v: colour.v)
        videoEncoder = try VP8Encoder(width: width, height: height, fps: 30, bitrateKbps: 300)
        audioEncoder = try OpusEncoder(channels: 1, application: .voip)
    }

    /// The next packet of tone, 20 ms unless told, as the session would deliver it,
    /// arriving at `arrival`.
    func nextAudio(arrival: Duration, samples: Int = OpusCodec.samplesPer20ms) throws -> InboundFrame {
        var pcm = PCMFrame(count: samples)
        let step = 2 * Double.pi * tone / 48_000
        for index in 0..<pcm.count {
            let gain = amplitudeAt?(sampleIndex + Int64(index)) ?? amplitude
            pcm[index] = gain * Float(sin(phase))
            phase += step
        }
        phase = phase.truncatingRemainder(dividingBy: 2 * Double.pi)
        let length = try audioEncoder.encode(pcm, into: &packet)
        defer { sampleIndex += Int64(samples) }
        return InboundFrame(
            codec: .opus, ssrc: audioSSRC, rtpTimestamp: UInt32(truncatingIfNeeded: 1000 + sampleIndex), arrival: arrival,
            isKeyframe: true, data: Array(packet[0..<length]))
    }

    /// A PLI from the room: the next video frame is a keyframe.
    func requestKeyframe() {
        videoEncoder.requestKeyframe()
    }

    /// The next 1/30 s video frame, arriving at `arrival`.
    func nextVideo(arrival: Duration) throws -> InboundFrame {
        if let colourAt {
            let colour = colourAt(videoIndex)
            picture.fill(y: colour.y, u: colour.u, v: colour.v)
        }
        let encoded = try videoEncoder.encode(picture, pts: videoIndex)
        defer { videoIndex += 1 }
        guard let frame = encoded.last else { throw MixerError("the VP8 encoder produced no frame") }
        return InboundFrame(
            codec: .vp8, ssrc: videoSSRC, rtpTimestamp: UInt32(truncatingIfNeeded: 5000 + videoIndex * 3000), arrival: arrival,
            isKeyframe: frame.isKeyframe, data: frame.bytes)
    }
}
