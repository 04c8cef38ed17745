/// Where to move a room's video ticks so that its inputs' frames wait less for them.
///
/// Every input sends frames on its own clock, so a frame waits from when it is ready to the
/// next video tick: on a grid fixed at the room's start, anywhere from nothing to a whole
/// frame interval, decided by the phases the senders happened to join at. Each input is
/// summed up by the wait of its latest-ready frames (`ReadyWaits.latestReady`): ticks
/// moved earlier by less than that shorten each of its frames' wait by as much; moved past
/// it, its frames wait for the tick after, a frame interval later. The move chosen lowers
/// the inputs' mean wait the most among the candidates "just after input k is ready" (its
/// wait less `margin`, for the arrival jitter the record has not seen: an input left closer
/// than that to the tick counts as missing it), and is made only when it saves at least
/// `minimumGain` on average: a handful of inputs at scattered phases settle on the tick
/// after the largest gap, and a record that barely favours a move does not move the ticks
/// back and forth. Inputs that are not at the room's frame rate have no steady phase; they
/// wait half an interval on average wherever the ticks are.
///
/// A move of the grid is the same earlier by `d` or later by `interval − d`; it is made
/// the shorter way, so the one frame interval it changes stays between half and one and a
/// half intervals (the outbound RTP timestamps follow the ticks).
public enum VideoTickAlignment {
    /// Left between the latest-ready input's frames and the tick.
    public static let margin: Duration = .milliseconds(2)
    /// The least saving in mean wait that moves the ticks.
    public static let minimumGain: Duration = .milliseconds(3)

    public struct Shift: Equatable, Sendable {
        /// How far the video grid moves: negative earlier, positive later.
        public let offset: Duration
        /// The inputs' mean wait for a tick before the move, and expected after it (an
        /// input too close to its tick counted as missing it: `totalWait`).
        public let meanWaitBefore: Duration
        public let meanWaitAfter: Duration
    }

    /// The move for inputs whose frames wait `waits` (one per input, each in
    /// `0..<interval`) for the ticks of the current grid; nil when none saves enough.
    public static func shift(waits: [Duration], interval: Duration) -> Shift? {
        guard !waits.isEmpty, interval > .zero else { return nil }
        let current = totalWait(waits, earlierBy: .zero, interval: interval)
        var best = (earlier: Duration.zero, total: current)
        for wait in waits {
            // An input ready less than the margin before the tick has it moved later.
            var earlier = wait - margin
            if earlier <= .zero { earlier += interval }
            guard earlier > .zero, earlier < interval else { continue }
            let total = totalWait(waits, earlierBy: earlier, interval: interval)
            if total < best.total { best = (earlier, total) }
        }
        let count = waits.count
        guard current - best.total >= minimumGain * count else { return nil }
        let offset = best.earlier <= interval / 2 ? .zero - best.earlier : interval - best.earlier
        return Shift(offset: offset, meanWaitBefore: current / count, meanWaitAfter: best.total / count)
    }

    /// The sum of the inputs' waits with the ticks `earlier` sooner: an input ready less
    /// than `margin` before a moved tick is counted as missing it (it would, now and then),
    /// waiting for the next one. On the ticks as they are, only one closer than half the
    /// margin is: an input whose frames drift towards the tick moves the ticks once it is
    /// that close, and gets the whole margin back.
    private static func totalWait(_ waits: [Duration], earlierBy earlier: Duration, interval: Duration) -> Duration {
        let missing = earlier == .zero ? margin / 2 : margin
        var total = Duration.zero
        for wait in waits {
            var moved = wait - earlier
            if moved < .zero { moved += interval }
            total += moved < missing ? moved + interval : moved
        }
        return total
    }
}
