public import TesseraMedia
public import TesseraTransport

/// The room's one VP8 encoder, apart from the compositor, so that `LiveRoom` can run each
/// encode on a thread of its own while the room's thread goes on with audio ticks: an
/// audio tick that came due during a 1280x720 encode (8-15 ms) used to wait for it.
///
/// The encoder follows the settings each request carries: a new size or frame rate makes
/// a new encoder (its first frame is a keyframe), a new bitrate or speed retunes it.
public final class VideoEncodeStage: @unchecked Sendable {
    // @unchecked: one thread at a time. `RoomMixer.mixVideo` encodes inline; `LiveRoom`
    // awaits the encode in flight before it composes (writes the canvas) or encodes again.

    /// One composite to encode, as the room thread made it.
    public struct Request: @unchecked Sendable {
        // @unchecked: `canvas` is not written while the request is in flight (see above).
        public let canvas: I420Frame
        public let pts: Int64
        public let forceKeyframe: Bool
        public let settings: MixerSettings
        /// The speed level for this frame (the room's setting, raised when ticks run long).
        public let speed: Int
        /// The tick's room time: the frame's RTP timestamp and capture time.
        public let time: Duration
    }

    public struct Result: Sendable {
        /// Nil when the encoder made no frame or failed.
        public let frame: OutboundFrame?
        public let isKeyframe: Bool
        public let failed: Bool
        public let time: Duration
    }

    private let epoch: Duration
    private var encoder: VP8Encoder
    private var settings: MixerSettings

    /// The encoder's speed level (its libvpx cpu-used is `MixerSettings.vp8CpuUsed` of it)
    /// and size now (read only between encodes).
    public private(set) var speed: Int
    public var size: (width: Int, height: Int) { (encoder.width, encoder.height) }
    /// What libvpx was given for `speed`.
    var cpuUsed: Int { encoder.speed }

    init(settings: MixerSettings, epoch: Duration) throws(MediaError) {
        self.epoch = epoch
        self.settings = settings
        speed = settings.encoderSpeed
        encoder = try VP8Encoder(settings.vp8Settings(speed: speed))
    }

    /// Encodes one composite; never throws (a failure is counted by the room).
    public func encode(_ request: Request) -> Result {
        do {
            try follow(request.settings, speed: request.speed)
            if request.forceKeyframe { encoder.requestKeyframe() }
            let encoded = try encoder.encode(request.canvas, pts: request.pts)
            guard let last = encoded.last else { return Result(frame: nil, isKeyframe: false, failed: false, time: request.time) }
            let frame = OutboundFrame(
                kind: .video, rtpTimestamp: RoomMixer.rtpTimestamp(request.time - epoch, rate: 90_000), data: last.bytes,
                captureTime: request.time)
            return Result(frame: frame, isKeyframe: last.isKeyframe, failed: false, time: request.time)
        } catch {
            return Result(frame: nil, isKeyframe: false, failed: true, time: request.time)
        }
    }

    private func follow(_ new: MixerSettings, speed: Int) throws(MediaError) {
        let old = settings
        if new.width != old.width || new.height != old.height || new.fps != old.fps {
            encoder = try VP8Encoder(new.vp8Settings(speed: speed))
        } else {
            if new.bitrateKbps != old.bitrateKbps { try encoder.setBitrate(kbps: new.bitrateKbps) }
            if speed != self.speed { try encoder.setSpeed(MixerSettings.vp8CpuUsed(speed: speed)) }
        }
        settings = new
        self.speed = speed
    }
}
