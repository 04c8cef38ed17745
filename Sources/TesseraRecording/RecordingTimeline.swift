/// Places room-clock timestamps on a recording's millisecond timeline (the Matroska
/// timestamp scale): the first written packet is 0, and each track's timestamps strictly
/// increase. A value-type state machine, so the rules are tested without a muxer.
///
/// With `waitsForKeyframe`, nothing is placed before the first video keyframe (audio
/// included), so the file starts on a decodable picture and in sync.
struct RecordingTimeline {
    enum Track: Int {
        case video = 0
        case audio = 1
    }

    let waitsForKeyframe: Bool
    private(set) var origin: Duration?
    /// The latest placed timestamp, relative to `origin`.
    private(set) var end: Duration = .zero
    private var lastTimestamp: [Duration?] = [nil, nil]
    private var lastMilliseconds: [Int64] = [-1, -1]

    init(waitsForKeyframe: Bool) {
        self.waitsForKeyframe = waitsForKeyframe
    }

    /// The packet's timestamp in milliseconds from the start, or nil when it must be
    /// dropped: before the start, before the origin, or not later than the track's previous
    /// packet. A packet later than the previous one that rounds to the same millisecond is
    /// nudged one millisecond on.
    mutating func place(_ timestamp: Duration, track: Track, isKeyframe: Bool) -> Int64? {
        let origin: Duration
        if let started = self.origin {
            origin = started
        } else {
            guard !waitsForKeyframe || (track == .video && isKeyframe) else { return nil }
            origin = timestamp
            self.origin = timestamp
        }
        let relative = timestamp - origin
        guard relative >= .zero else { return nil }
        if let previous = lastTimestamp[track.rawValue], timestamp <= previous { return nil }
        let milliseconds = max(Self.milliseconds(relative), lastMilliseconds[track.rawValue] + 1)
        lastTimestamp[track.rawValue] = timestamp
        lastMilliseconds[track.rawValue] = milliseconds
        end = max(end, relative)
        return milliseconds
    }

    /// A non-negative duration in whole milliseconds, rounded to nearest.
    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + (attoseconds + 500_000_000_000_000) / 1_000_000_000_000_000
    }
}
