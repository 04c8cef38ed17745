/// When the room's one video encoder makes a keyframe (issue: "a PLI/FIR from any receiver
/// asks the encoder for a keyframe at most once per 500 ms (others are served by the next
/// keyframe); joining receivers get a keyframe quickly").
///
/// Requests from all receivers funnel here. One inside the interval after the last forced
/// keyframe is remembered and served when the interval ends, so nobody waits for the
/// encoder's periodic keyframe. A value type with no clock: `now` is passed in.
public struct KeyframePolicy: Sendable {
    public let minimumInterval: Duration
    private var lastForced: Duration?
    private var pending = false
    public private(set) var forcedKeyframes = 0
    public private(set) var coalescedRequests = 0

    public init(minimumInterval: Duration = .milliseconds(500)) {
        self.minimumInterval = minimumInterval
    }

    /// A receiver asked (PLI/FIR) or joined. Returns true when the next encode must be a
    /// keyframe now; otherwise the request waits for `shouldForce(now:)`.
    public mutating func request(now: Duration) -> Bool {
        if let lastForced, now - lastForced < minimumInterval {
            if pending { coalescedRequests += 1 }
            pending = true
            return false
        }
        force(now)
        return true
    }

    /// Called every video tick: true when a waiting request's interval has passed.
    public mutating func shouldForce(now: Duration) -> Bool {
        guard pending, let lastForced, now - lastForced >= minimumInterval else { return false }
        force(now)
        return true
    }

    /// The encoder produced a keyframe on its own: it serves waiting requests too.
    public mutating func keyframeEncoded(now: Duration) {
        lastForced = now
        pending = false
    }

    private mutating func force(_ now: Duration) {
        lastForced = now
        pending = false
        forcedKeyframes += 1
    }
}
