import Foundation
import Synchronization
import Testing
import TesseraMixer

@Suite struct RoomExecutorTests {
    actor Worker {
        let executor: RoomExecutor
        var order: [Int] = []
        nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

        init(executor: RoomExecutor) { self.executor = executor }

        func record(_ value: Int) -> (onRoomThread: Bool, thread: ObjectIdentifier) {
            order.append(value)
            return (executor.isCurrent, ObjectIdentifier(Thread.current))
        }
    }

    @Test func anActorOnTheRoomExecutorRunsOnItsOwnThreadInOrder() async {
        let executor = RoomExecutor(name: "tessera-room-test")
        let worker = Worker(executor: executor)
        var seen: [(Bool, ObjectIdentifier)] = []
        for value in 0..<100 { seen.append(await worker.record(value)) }
        #expect(seen.allSatisfy { $0.0 })
        #expect(Set(seen.map(\.1)).count == 1)
        #expect(await worker.order == Array(0..<100))
        executor.shutdown()
    }

    /// Rooms are made from tasks on the shared pool: every thread must carry its executor's
    /// name (cut to Linux's 15 bytes), not the pool thread's it was started from. Many at
    /// once, as a busy server makes them: whether the new thread or its creator runs first
    /// varies, and a name set before the thread knew itself was lost.
    @Test func everyThreadCarriesItsExecutorsNameWhenStartedFromThePool() async {
        let executors = await withTaskGroup(of: RoomExecutor.self) { group in
            for index in 0..<128 { group.addTask { RoomExecutor(name: "enc-\(index)-0123456789") } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for executor in executors {
            let name = await Task(executorPreference: executor) {
                try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)
            }.value
            #expect(name == String(executor.name.prefix(15)) + "\n")
            executor.shutdown()
        }
    }

    /// What `VideoEncodeWorker.start` relies on: a task that prefers the room executor
    /// runs its own (non-isolated) code on that thread, never on the shared pool.
    @Test func aTaskThatPrefersTheExecutorRunsOnItsThread() async {
        let executor = RoomExecutor(name: "enc-pref-test")
        let onThread = await Task(executorPreference: executor) { executor.isCurrent }.value
        let plain = await Task.detached { executor.isCurrent }.value
        #expect(onThread)
        #expect(!plain, "the control: a detached task starts on the shared pool")
        executor.shutdown()
    }

    @Test func twoRoomsDoNotShareAThread() async {
        let first = Worker(executor: RoomExecutor(name: "room-a"))
        let second = Worker(executor: RoomExecutor(name: "room-b"))
        let a = await first.record(1)
        let b = await second.record(1)
        #expect(a.onRoomThread && b.onRoomThread)
        #expect(a.thread != b.thread)
        first.executor.shutdown()
        second.executor.shutdown()
    }

    /// What a room's ticks rely on: the timer's action runs on the room's own thread, not
    /// before its deadline.
    @Test func aTimerRunsItsActionOnTheRoomThreadOnceItsDeadlinePassed() async {
        let executor = RoomExecutor(name: "timer-test")
        let start = ContinuousClock.now
        let fired: (onRoomThread: Bool, at: ContinuousClock.Instant) = await withCheckedContinuation { done in
            executor.setTimer(at: start + .milliseconds(30)) { done.resume(returning: (executor.isCurrent, .now)) }
        }
        #expect(fired.onRoomThread)
        #expect(fired.at - start >= .milliseconds(30))
        executor.shutdown()
    }

    @Test func aNewTimerReplacesThePendingOne() async {
        let executor = RoomExecutor(name: "timer-replace")
        let fired = Mutex<[String]>([])
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let now = ContinuousClock.now
            executor.setTimer(at: now + .milliseconds(5)) { fired.withLock { $0.append("replaced") } }
            executor.setTimer(at: now + .milliseconds(25)) {
                fired.withLock { $0.append("replacing") }
                done.resume()
            }
        }
        #expect(fired.withLock { $0 } == ["replacing"], "the earlier deadline was replaced before it came")
        executor.shutdown()
    }

    /// A stopped room's timer must not call into it; nor may a shut-down executor's thread
    /// stay for one. Absence takes a wait: 60 ms past both deadlines.
    @Test func aCancelledTimerAndAShutDownExecutorsTimerNeverRun() async throws {
        let fired = Mutex<[String]>([])
        let cancelled = RoomExecutor(name: "timer-cancel")
        cancelled.setTimer(at: .now + .milliseconds(10)) { fired.withLock { $0.append("cancelled") } }
        cancelled.cancelTimer()
        let shutDown = RoomExecutor(name: "timer-shutdown")
        shutDown.setTimer(at: .now + .milliseconds(10)) { fired.withLock { $0.append("shut down") } }
        shutDown.shutdown()
        try await Task.sleep(for: .milliseconds(70))
        #expect(fired.withLock { $0 }.isEmpty)
        // The cancelled one's thread still runs work.
        #expect(await Task(executorPreference: cancelled) { cancelled.isCurrent }.value)
        cancelled.shutdown()
    }
}
