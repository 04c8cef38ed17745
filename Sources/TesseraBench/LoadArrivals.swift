#if canImport(Glibc)
import Glibc
#endif

/// Seconds on CLOCK_MONOTONIC: Python's `time.monotonic()` on Linux, so the load client's
/// arrival times compare with the window its driver asks about.
func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}

/// The arrival times (monotonic seconds, ascending) of one receiver's whole frames.
struct LoadArrivals {
    private(set) var times: [Double] = []

    mutating func record(_ time: Double) { times.append(time) }

    /// Frames per second arriving in [start, end).
    func rate(_ start: Double, _ end: Double) -> Double { Double(count(start, end)) / (end - start) }

    /// The fewest frames in any whole second of [start, end), counted from start.
    func minPerSecond(_ start: Double, _ end: Double) -> Int {
        let seconds = max(1, Int(end - start))
        return (0..<seconds).map { count(start + Double($0), start + Double($0) + 1) }.min() ?? 0
    }

    func count(_ start: Double, _ end: Double) -> Int { firstIndex(notBefore: end) - firstIndex(notBefore: start) }

    private func firstIndex(notBefore time: Double) -> Int {
        var low = 0
        var high = times.count
        while low < high {
            let middle = (low + high) / 2
            if times[middle] < time { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// Counts one received video stream's whole frames: a frame counts when the packet with
/// the marker bit completes a run of consecutive sequence numbers since the previous
/// marker (a frame with a lost packet does not).
struct LoadFrameCounter {
    private var first: UInt16?
    private var packets = 0

    /// True when this packet completed a whole frame.
    mutating func add(sequenceNumber: UInt16, marker: Bool) -> Bool {
        packets += 1
        guard marker else { return false }
        defer {
            first = sequenceNumber &+ 1
            packets = 0
        }
        guard let first else { return false }
        return Int(sequenceNumber &- first) + 1 == packets
    }
}
