import Synchronization
import TesseraTransport

/// Frames the room's sessions delivered since the last tick. Session readers push from
/// any thread; each tick drains it on the room's thread before mixing, so a room that
/// runs behind still takes every input it has, and frames cost no actor hop each.
/// Bounded: past `capacity` the oldest frames are dropped and counted.
final class FrameInbox: Sendable {
    private struct State {
        var frames: [(participantId: String, frame: InboundFrame)] = []
        var dropped = 0
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    func push(_ frame: InboundFrame, from participantId: String) {
        state.withLock { state in
            if state.frames.count >= capacity {
                state.frames.removeFirst()
                state.dropped += 1
            }
            state.frames.append((participantId, frame))
        }
    }

    /// Everything pushed so far, oldest first; the inbox is empty afterwards.
    func drain() -> [(participantId: String, frame: InboundFrame)] {
        state.withLock { state in
            defer { state.frames.removeAll(keepingCapacity: true) }
            return state.frames
        }
    }

    var dropped: Int { state.withLock { $0.dropped } }
}
