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
        _ job: Job, output: any MixOutput, clock: @escaping @Sendable () -> Duration
    ) -> Task<Encoded, Never> {
        Task(executorPreference: executor) { await self.encode(job, output: output, clock: clock) }
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
