/// When a room's next audio or video tick is due, on the room clock.
///
/// Ticks sit at exact multiples of their interval after the room's epoch, and the outbound
/// RTP timestamps follow them, so a late wake-up delays a tick but never shifts the
/// timeline. A room that fell behind (a CPU stall, a slow keyframe) runs the missed ticks
/// back to back, earliest first: the receivers get a burst of frames with continuous
/// timestamps, which their jitter buffers absorb, instead of a gap. Only a room more than
/// `maximumLag` behind gives up on the missed ticks, skips to the present and counts them,
/// so a room that cannot keep up never builds an unbounded delay.
public struct TickSchedule: Sendable {
    public enum Tick: Equatable, Sendable {
        case audio(at: Duration)
        case video(at: Duration)
    }

    public enum Next: Equatable, Sendable {
        case run(Tick)
        case wait(Duration)
    }

    /// Behind by more than this, a room skips the missed ticks.
    public static let defaultMaximumLag: Duration = .seconds(1)

    public let epoch: Duration
    public let maximumLag: Duration
    public private(set) var skippedTicks = 0
    private var audioIndex: Int64 = 1
    private var videoBase: Duration
    private var videoInterval: Duration
    private var videoIndex: Int64 = 1

    public init(epoch: Duration, videoInterval: Duration, maximumLag: Duration = Self.defaultMaximumLag) {
        self.epoch = epoch
        self.videoBase = epoch
        self.videoInterval = videoInterval
        self.maximumLag = maximumLag
    }

    private var audioAt: Duration { epoch + MixerSettings.audioInterval * audioIndex }
    private var videoAt: Duration { videoBase + videoInterval * videoIndex }

    /// The tick to run now (the earlier one when both are due), or how long to wait for
    /// the next. Running a tick moves past it: call again after running it.
    public mutating func next(now: Duration) -> Next {
        let audio = audioAt
        let video = videoAt
        if audio <= now, audio <= video {
            if now - audio > maximumLag {
                let caughtUp = Int64((now - epoch) / MixerSettings.audioInterval)
                skippedTicks += Int(caughtUp - audioIndex)
                audioIndex = caughtUp
            }
            let tick = audioAt
            audioIndex += 1
            return .run(.audio(at: tick))
        }
        if video <= now {
            if now - video > maximumLag {
                let caughtUp = Int64((now - videoBase) / videoInterval)
                skippedTicks += Int(caughtUp - videoIndex)
                videoIndex = caughtUp
            }
            let tick = videoAt
            videoIndex += 1
            return .run(.video(at: tick))
        }
        return .wait(min(audio, video) - now)
    }

    /// A new frame rate takes effect after the last video tick run: the next frame is one
    /// new interval after it.
    public mutating func setVideoInterval(_ interval: Duration) {
        guard interval != videoInterval else { return }
        videoBase = videoBase + videoInterval * (videoIndex - 1)
        videoInterval = interval
        videoIndex = 1
    }
}
