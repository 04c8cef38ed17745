import Synchronization

/// Fires once with the reason a session ended; any number of tasks may wait for it.
/// (The events stream has one reader — the room — so the supervisor waits here instead.)
package final class CloseSignal: Sendable {
    private struct State {
        var reason: CloseReason?
        var waiters: [CheckedContinuation<CloseReason, Never>] = []
    }

    private let state = Mutex(State())

    func fire(_ reason: CloseReason) {
        let waiters = state.withLock { state -> [CheckedContinuation<CloseReason, Never>] in
            guard state.reason == nil else { return [] }
            state.reason = reason
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: reason) }
    }

    package init() {}

    func wait() async -> CloseReason {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> CloseReason? in
                if let reason = state.reason { return reason }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
