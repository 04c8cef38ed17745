import Foundation
import Synchronization

/// A serial executor with a thread of its own, for one room's mixer (ARCHITECTURE.md:
/// "each room's mixer runs on its own executor ... never on the shared cooperative pool,
/// so one busy room cannot starve HTTP or other rooms"). Codec work runs here.
///
/// Jobs run in the order they were enqueued. `shutdown()` lets queued jobs finish and
/// ends the thread. It is also a task executor, so a task can start on this thread
/// directly (`Task(executorPreference:)`) instead of hopping from the shared pool.
public final class RoomExecutor: SerialExecutor, TaskExecutor, @unchecked Sendable {
    // @unchecked: `jobs`, `running` and `thread` are only touched under `condition`'s lock
    // (init sets `thread` before the thread can run).
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    /// The batch being run, swapped with `jobs` on each wake-up so neither array is ever
    /// shared: copying `jobs` out and emptying it made a new buffer on every wake-up, a heap
    /// allocation per tick on the room's thread. Touched only by the executor's thread.
    private var batch: [UnownedJob] = []
    private var running = true
    private var thread: Thread?
    /// The one pending timer (`setTimer`): its action runs on this thread once the deadline
    /// passed and the jobs queued before then ran.
    private var timer: (deadline: ContinuousClock.Instant, action: @Sendable () -> Void)?
    public let name: String

    public init(name: String) {
        self.name = name
        // The thread holds the executor until `run` returns (after `shutdown`), so neither
        // outlives the other mid-job.
        let thread = Thread { self.run() }
        thread.name = name
        thread.qualityOfService = .userInteractive
        self.thread = thread
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    public func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }

    /// Runs `action` on this executor's thread at `deadline`, in place of any timer set
    /// before. The thread sleeps until then itself: a room's ticks wake only its own thread,
    /// where `Task.sleep` wakes a timer thread and a pool thread that then hops here.
    public func setTimer(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) {
        condition.lock()
        timer = (deadline, action)
        condition.signal()
        condition.unlock()
    }

    /// Drops the pending timer, if any.
    public func cancelTimer() {
        condition.lock()
        timer = nil
        condition.unlock()
    }

    /// Stops taking new work once the queue is empty; the thread then exits. A pending
    /// timer is dropped.
    public func shutdown() {
        condition.lock()
        running = false
        timer = nil
        condition.signal()
        condition.unlock()
    }

    /// True on this executor's thread (for tests and assertions).
    public var isCurrent: Bool {
        condition.lock()
        defer { condition.unlock() }
        return thread != nil && Thread.current === thread
    }

    /// Names the calling thread (its first 15 bytes), as top and perf show it.
    static func nameCurrentThread(_ name: String) {
        let fd = open("/proc/thread-self/comm", O_WRONLY)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    private func run() {
        // Linux applies a thread name only from the thread itself (a new thread inherits
        // its creator's name otherwise) and only up to 15 bytes; it shows in top, perf
        // and backtraces. Written to the thread's comm directly: `Thread.name` set here was
        // lost whenever this thread ran before its creator had finished starting it, so
        // some threads made from the pool kept the pool's name ("…root.default-qos").
        Self.nameCurrentThread(name)
        while true {
            condition.lock()
            var due: (@Sendable () -> Void)?
            while jobs.isEmpty && running {
                guard let timer else {
                    condition.wait()
                    continue
                }
                let left = timer.deadline - .now
                if left <= .zero {
                    due = timer.action
                    self.timer = nil
                    break
                }
                _ = condition.wait(until: Date(timeIntervalSinceNow: left.seconds))
            }
            if let due {
                condition.unlock()
                due()
                continue
            }
            if jobs.isEmpty && !running {
                thread = nil  // breaks the executor ↔ thread cycle
                timer = nil
                condition.unlock()
                return
            }
            swap(&jobs, &batch)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedSerialExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
