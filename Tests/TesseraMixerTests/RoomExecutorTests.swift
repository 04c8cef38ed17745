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
