/// When a room's next audio or video tick is due, on the room clock.
///
/// Ticks sit at exact multiples of their interval after the room's epoch, and the outbound
/// RTP timestamps follow them, so a late wake-up delays a tick but never shifts the
/// timeline. A room that fell behind (a CPU stall, a slow keyframe) runs the missed ticks
/// back to back, earliest first: the receivers get a burst of frames with continuous
/// timestamps, which their jitter buffers absorb, instead of a gap. A room that does not
/// catch up (more than `lateness` behind, and no less behind after `persistence`: it is
/// overloaded, and every tick it runs late adds latency for everyone), or that is more
/// than `maximumLag` behind, gives up on the missed ticks, skips to the present and
/// counts them.
public struct TickSchedule: Sendable {
    public enum Tick: Equatable, Sendable {
        case audio(at: Duration)
        case video(at: Duration)

        /// The room time the tick is due at.
        public var time: Duration {
            switch self {
            case .audio(let time), .video(let time): time
            }
        }
    }

    public enum Next: Equatable, Sendable {
        case run(Tick)
        case wait(Duration)
    }

    /// Behind by more than this, a room skips the missed ticks at once.
    public static let defaultMaximumLag: Duration = .seconds(1)
    /// A tick run later than this after its time counts as running behind…
    public static let lateness: Duration = .milliseconds(100)
    /// …and a room running behind that is no closer to its schedule after this long
    /// skips to the present.
    public static let persistence: Duration = .milliseconds(500)

    public let epoch: Duration
    public let maximumLag: Duration
    public private(set) var skippedTicks = 0
    /// While ticks run more than `lateness` behind: when the lag was last checked, and
    /// what it was then.
    private var behind: (since: Duration, lag: Duration)?
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
        if shouldSkip(lag: now - min(audioAt, videoAt), now: now) { skipToPresent(now) }
        let audio = audioAt
        let video = videoAt
        if audio <= now, audio <= video {
            audioIndex += 1
            return .run(.audio(at: audio))
        }
        if video <= now {
            videoIndex += 1
            return .run(.video(at: video))
        }
        return .wait(min(audio, video) - now)
    }

    /// Drops every missed tick but the latest of each kind, and counts them.
    private mutating func skipToPresent(_ now: Duration) {
        let audio = Int64((now - epoch) / MixerSettings.audioInterval)
        if audio > audioIndex {
            skippedTicks += Int(audio - audioIndex)
            audioIndex = audio
        }
        let video = Int64((now - videoBase) / videoInterval)
        if video > videoIndex {
            skippedTicks += Int(video - videoIndex)
            videoIndex = video
        }
    }

    /// Whether the missed ticks are given up: far behind, or behind and not catching up.
    private mutating func shouldSkip(lag: Duration, now: Duration) -> Bool {
        guard lag > Self.lateness else {
            behind = nil
            return false
        }
        guard lag <= maximumLag else {
            behind = nil
            return true
        }
        guard let checked = behind else {
            behind = (now, lag)
            return false
        }
        guard now - checked.since >= Self.persistence else { return false }
        if lag < checked.lag {
            behind = (now, lag)
            return false
        }
        behind = nil
        return true
    }

    /// Moves the video ticks to come `offset` later (earlier when negative), from the next
    /// one on (`VideoTickAlignment`: at most half a frame interval either way, so the next
    /// tick stays after the last one run). The audio ticks stay where they are.
    public mutating func shiftVideo(by offset: Duration) {
        videoBase += offset
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
