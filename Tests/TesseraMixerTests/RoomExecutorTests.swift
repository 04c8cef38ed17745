import Foundation
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
}
