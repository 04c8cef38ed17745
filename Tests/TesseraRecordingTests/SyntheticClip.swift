import Foundation
import TesseraMedia

/// A clip encoded by the project's own encoders, as the mixer would hand it to the recorder:
/// 30 fps VP8 (a bar moving over a colour that changes) and 20 ms Opus packets of a 440 Hz
/// tone, stamped on one clock that starts at `origin`, in timestamp order.
struct SyntheticClip {
    enum Kind: Equatable {
        case video(isKeyframe: Bool)
        case audio
    }

    struct Packet {
        let kind: Kind
        let bytes: [UInt8]
        let timestamp: Duration
        let index: Int
    }

    static let width = 320
    static let height = 240
    static let fps = 30
    static let audioPacketsPerSecond = 50

    let packets: [Packet]

    var video: [Packet] { packets.filter { $0.kind != .audio } }
    var audio: [Packet] { packets.filter { $0.kind == .audio } }

    /// `forcedKeyframes`: frame indices encoded as keyframes besides the first.
    init(seconds: Int = 3, origin: Duration = .seconds(7), forcedKeyframes: Set<Int> = []) throws {
        var packets: [Packet] = []
        let encoder = try VP8Encoder(VP8EncoderSettings(
            width: Self.width, height: Self.height, fps: Self.fps, bitrateKbps: 400, keyframeIntervalSeconds: 10))
        let frame = I420Frame(width: Self.width, height: Self.height)
        for index in 0..<(seconds * Self.fps) {
            frame.fill(y: UInt8(40 + index % 120), u: 90, v: 200)
            try frame.fill(y: 235, u: 128, v: 128, in: FrameRect(x: (index * 8) % (Self.width - 32), y: 64, width: 32, height: 96))
            if forcedKeyframes.contains(index) { encoder.requestKeyframe() }
            for encoded in try encoder.encode(frame, pts: Int64(index)) {
                packets.append(Packet(
                    kind: .video(isKeyframe: encoded.isKeyframe), bytes: encoded.bytes,
                    timestamp: origin + .seconds(Double(index) / Double(Self.fps)), index: index))
            }
        }
        let opus = try OpusEncoder(channels: 1, application: .voip)
        var pcm = PCMFrame()
        var buffer = [UInt8](repeating: 0, count: 1500)
        for index in 0..<(seconds * Self.audioPacketsPerSecond) {
            for sample in 0..<pcm.count {
                let time = Double(index * pcm.count + sample) / Double(OpusCodec.sampleRate)
                pcm[sample] = Float(0.3 * sin(2 * Double.pi * 440 * time))
            }
            let length = try opus.encode(pcm, into: &buffer)
            packets.append(Packet(
                kind: .audio, bytes: Array(buffer[..<length]),
                timestamp: origin + .milliseconds(index * 1000 / Self.audioPacketsPerSecond), index: index))
        }
        // Video first on equal timestamps, as a tick that produces both would write them.
        self.packets = packets.enumerated().sorted {
            ($0.element.timestamp, $0.element.kind == .audio ? 1 : 0, $0.offset)
                < ($1.element.timestamp, $1.element.kind == .audio ? 1 : 0, $1.offset)
        }.map(\.element)
    }
}
