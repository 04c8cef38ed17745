/// How long one input's recent frames waited for the video tick that first showed them,
/// from the moment each was ready (arrived, and close enough to its playout time to be
/// shown). Fixed storage: recording a wait, or reading the record, allocates nothing.
struct ReadyWaits {
    static let capacity = 32
    private var samples = [Duration](repeating: .zero, count: Self.capacity)
    /// Reused to sort the samples.
    private var sorted = [Duration](repeating: .zero, count: Self.capacity)
    private var cursor = 0
    private(set) var count = 0

    mutating func record(_ wait: Duration) {
        samples[cursor] = wait
        cursor = (cursor + 1) % Self.capacity
        count = min(count + 1, Self.capacity)
    }

    mutating func removeAll() {
        cursor = 0
        count = 0
    }

    /// How long before its tick the input's latest-ready frames but one were ready: how
    /// much earlier the ticks could have come with at most one of these frames (a late
    /// outlier) missing its tick. Nil with fewer than two waits.
    ///
    /// Read round the frame `interval`: an input's ready times form one cluster of phases,
    /// which may straddle a tick, and a frame that missed one by a little waits almost a
    /// whole interval. The cluster is what follows the largest gap between the sorted
    /// waits, counting the gap from the longest wait round to the shortest; its first wait
    /// is its latest-ready frame.
    mutating func latestReady(interval: Duration) -> Duration? {
        guard count >= 2 else { return nil }
        for index in 0..<count {
            let wait = samples[index]
            var slot = index
            while slot > 0 && sorted[slot - 1] > wait {
                sorted[slot] = sorted[slot - 1]
                slot -= 1
            }
            sorted[slot] = wait
        }
        var start = 0
        var widest = sorted[0] + interval - sorted[count - 1]
        for index in 1..<count where sorted[index] - sorted[index - 1] > widest {
            widest = sorted[index] - sorted[index - 1]
            start = index
        }
        return sorted[(start + 1) % count]
    }
}
