/// Holds one input stream's decoded-order frames until their playout time on the room
/// clock, with a playout delay that follows the measured arrival jitter.
///
/// Each frame's media time (its RTP timestamp over the clock rate, unwrapped across the
/// 32-bit wrap) is mapped to the room clock with the smallest arrival offset seen in a
/// sliding window (the network's fastest path), plus a delay: a high percentile of the
/// recent jitter plus a small `margin`, clamped to `delayBounds`. On a calm network the
/// delay is only the margin (issue 7: mixer-added latency); jitter raises it. Frames whose
/// time has passed before they could play are dropped and counted as late. A value type
/// with no clock: times are passed in.
public struct PlayoutBuffer<Frame: Sendable>: Sendable {
    public let clockRate: Int
    public let capacity: Int
    public let delayBounds: ClosedRange<Duration>
    /// An extra delay the room adds for lip-sync (a sender's audio waits for its video).
    public var syncDelay: Duration = .zero

    private var unwrapper = TimestampUnwrapper()
    private var queue: [(mediaTime: Duration, frame: Frame)] = []
    /// Recent (arrival − media time) offsets; the smallest is the base, the spread the jitter.
    private var offsets: [Duration] = []
    private var offsetCursor = 0
    /// Reused for the jitter percentile, so inserting a frame does not allocate.
    private var spread: [Duration] = []
    public private(set) var delay: Duration
    public private(set) var lateFrames = 0
    public private(set) var overflowFrames = 0
    private var lastReleased: Duration?
    /// The playout time (room clock) of the frame `popDue` returned last.
    public private(set) var releasedPlayoutTime: Duration?

    /// Offsets kept for the base and jitter estimate (≈ 2 s of video at 30 fps, 1.3 s of 20 ms audio packets).
    static var window: Int { 64 }
    /// Added to the measured jitter: covers what the window has not seen yet.
    public static var margin: Duration { .milliseconds(5) }

    public init(clockRate: Int, capacity: Int = 64, delayBounds: ClosedRange<Duration> = .zero...(.milliseconds(200))) {
        self.clockRate = clockRate
        self.capacity = capacity
        self.delayBounds = delayBounds
        delay = min(max(Self.margin, delayBounds.lowerBound), delayBounds.upperBound)
    }

    /// Adds a frame that arrived at room time `arrival`.
    public mutating func insert(_ frame: Frame, rtpTimestamp: UInt32, arrival: Duration) {
        let ticks = unwrapper.unwrap(rtpTimestamp)
        let mediaTime = Duration.seconds(Double(ticks) / Double(clockRate))
        record(offset: arrival - mediaTime)
        if let lastReleased, mediaTime <= lastReleased {
            lateFrames += 1
            return
        }
        if queue.count >= capacity {
            _ = queue.remove(at: 0)
            overflowFrames += 1
        }
        // After every frame of the same or an earlier media time; searched from the back,
        // where an in-order frame goes.
        var index = queue.count
        while index > 0 && queue[index - 1].mediaTime > mediaTime { index -= 1 }
        queue.insert((mediaTime, frame), at: index)
    }

    /// Room time minus media time for this stream's frames, before `syncDelay`: the base
    /// arrival offset plus the playout delay. Nil before the first frame.
    public var roomOffset: Duration? {
        offsets.min().map { $0 + delay }
    }

    /// The media time of an RTP timestamp of this stream (e.g. from an RTCP SR), unwrapped
    /// next to the frames seen so far; nil before the first frame.
    public func mediaTime(ofRTP timestamp: UInt32) -> Duration? {
        unwrapper.peek(timestamp).map { Duration.seconds(Double($0) / Double(clockRate)) }
    }

    /// When a frame of media time `mediaTime` plays on the room clock.
    private func playoutTime(_ mediaTime: Duration) -> Duration? {
        guard let base = offsets.min() else { return nil }
        return mediaTime + base + delay + syncDelay
    }

    /// The frames due at room time `now`, oldest first (audio takes them one by one).
    public mutating func due(at now: Duration) -> [Frame] {
        var out: [Frame] = []
        while let frame = popDue(at: now) { out.append(frame) }
        return out
    }

    /// Takes the oldest frame due at room time `now`, nil when none is. Builds no array, so
    /// a tick that takes its frames one by one allocates nothing.
    ///
    /// The queue is used through `Array`'s own members only (`isEmpty`, subscript,
    /// `remove(at:)`): this generic code is not specialized for the caller's `Frame`, and
    /// the `Collection` defaults (`first`, `removeFirst()`) read an element of unknown
    /// size through a coroutine whose frame is heap-allocated.
    public mutating func popDue(at now: Duration) -> Frame? {
        guard !queue.isEmpty else { return nil }
        let mediaTime = queue[0].mediaTime
        guard let time = playoutTime(mediaTime), time <= now else { return nil }
        lastReleased = mediaTime
        releasedPlayoutTime = time
        return queue.remove(at: 0).frame
    }

    /// The newest frame due at `now`; older due frames are skipped (video shows the latest).
    public mutating func latest(at now: Duration) -> Frame? {
        var newest: Frame?
        while let frame = popDue(at: now) { newest = frame }
        return newest
    }

    public var count: Int { queue.count }

    private mutating func record(offset: Duration) {
        if offsets.count < Self.window {
            offsets.append(offset)
        } else {
            offsets[offsetCursor] = offset
            offsetCursor = (offsetCursor + 1) % Self.window
        }
        guard let base = offsets.min() else { return }
        // The 95th percentile of how much later than the fastest path frames arrive.
        spread.removeAll(keepingCapacity: true)
        for offset in offsets { spread.append(offset - base) }
        spread.sort()
        let high = spread[min(spread.count - 1, (spread.count * 95) / 100)]
        delay = min(max(high + Self.margin, delayBounds.lowerBound), delayBounds.upperBound)
    }
}

/// Extends 32-bit RTP timestamps across their wrap (RFC 3550 §5.1: they wrap every ~13 h
/// at 90 kHz) into a monotonic 64-bit count, tolerating reordering of up to half the range.
public struct TimestampUnwrapper: Sendable {
    private var last: Int64?

    public init() {}

    /// What `unwrap` would return, without moving the reference.
    public func peek(_ timestamp: UInt32) -> Int64? {
        last.map { $0 + Int64(Int32(bitPattern: timestamp &- UInt32(truncatingIfNeeded: $0))) }
    }

    public mutating func unwrap(_ timestamp: UInt32) -> Int64 {
        guard let last else {
            self.last = Int64(timestamp)
            return Int64(timestamp)
        }
        let delta = Int64(Int32(bitPattern: timestamp &- UInt32(truncatingIfNeeded: last)))
        let value = last + delta
        self.last = max(last, value)
        return value
    }
}
