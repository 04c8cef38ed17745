import Synchronization
import TesseraTransport

/// The thread a room's composites are encoded on (a `RoomExecutor` of its own), so the
/// room's thread is free for audio ticks meanwhile. It sends each frame the moment it is
/// encoded; `LiveRoom` takes the rest back before it draws the next composite.
actor VideoEncodeWorker {
    private let executor: RoomExecutor

    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    init(executor: RoomExecutor) {
        self.executor = executor
    }

    nonisolated func shutdown() { executor.shutdown() }

    /// Starts encoding `job` on the worker's thread. The task starts there (the thread is
    /// its task executor), not on the shared pool: under load a hop through the pool, whose
    /// threads the sessions' readers share, delayed the encode.
    nonisolated func start(
        _ job: Job, output: any MixOutput, clock: @escaping @Sendable () -> Duration,
        onDone: @escaping @Sendable () async -> Void = {}
    ) -> Running {
        let done = Completion()
        let task = Task(executorPreference: executor) {
            done.finish(await self.encode(job, output: output, clock: clock))
            await onDone()
        }
        return Running(task: task, done: done)
    }

    /// An encode in flight: a task to await, and its result once done, to take without waiting.
    struct Running: Sendable {
        let task: Task<Void, Never>
        let done: Completion
    }

    /// Holds the encode's result once the encode thread has encoded and sent the frame.
    final class Completion: Sendable {
        private let encoded = Mutex<Encoded?>(nil)
        var result: Encoded? { encoded.withLock { $0 } }
        var isDone: Bool { encoded.withLock { $0 != nil } }
        func finish(_ result: Encoded) { encoded.withLock { $0 = result } }
    }

    struct Job: Sendable {
        let request: VideoEncodeStage.Request
        let stage: VideoEncodeStage
        let receivers: [String]
        let inputArrivals: [Duration]
        /// When the tick began on the room thread.
        let started: ContinuousClock.Instant
    }

    struct Encoded: Sendable {
        let result: VideoEncodeStage.Result
        let inputArrivals: [Duration]
        /// Room time the frame was handed to the sessions.
        let sent: Duration
        /// From the tick's start to the frame sent.
        let elapsed: Duration
        /// CPU time of the encode thread so far, seconds.
        let threadCPU: Double
    }

    func encode(_ job: Job, output: any MixOutput, clock: @Sendable () -> Duration) -> Encoded {
        let result = job.stage.encode(job.request)
        if let frame = result.frame, !job.receivers.isEmpty { output.send(frame, to: job.receivers) }
        return Encoded(
            result: result, inputArrivals: job.inputArrivals, sent: clock(), elapsed: ContinuousClock.now - job.started,
            threadCPU: threadCPUSeconds())
    }
}
