public import Logging
public import TesseraTransport

/// One room's running mixer: an actor on the room's own thread (`RoomExecutor`) that feeds
/// its sessions' frames and RTCP events into the `RoomMixer` and runs the 10 ms audio and
/// 1/fps video ticks on the room clock, fanning the results out through `MixOutput`.
///
/// Ticks follow a `TickSchedule`: exact multiples of their interval after the mixer's epoch,
/// missed ones run back to back, skipped only when the room does not catch up. The VP8
/// encode of each composite runs on a second thread (`VideoEncodeWorker`), which sends the
/// frame as soon as it is encoded, so audio ticks never wait behind a video encode.
public actor LiveRoom {
    public typealias SpeakingHandler = @Sendable (_ participantId: String, _ speaking: Bool) -> Void

    public let id: String
    private let executor: RoomExecutor
    private let encoder: VideoEncodeWorker
    /// The composite being encoded; taken back before the next one is drawn.
    private var encoding: VideoEncodeWorker.Running?
    /// A video tick due while the encoder was still busy: it runs when the encode is done
    /// (`encoderFinished`), not on the run loop, so audio ticks never wait for the encoder.
    /// Its tick time, and when it came due: its tick duration counts from then, so the
    /// encoder's speed control sees the wait for the encoder as it did when the room waited.
    private var deferredVideo: (time: Duration, due: ContinuousClock.Instant)?
    /// Deferred video ticks dropped because the next one came due first, and when that was
    /// last logged.
    private var encoderBusyTicks = 0
    private var encoderBusyLogged: (at: Duration, ticks: Int)?
    /// Ticks not run: late ones the schedule skipped, and deferred video ticks dropped.
    private var skippedTicks: Int { schedule.skippedTicks + encoderBusyTicks }
    private let mixer: RoomMixer
    private let output: any MixOutput
    private let clock: @Sendable () -> Duration
    private let onSpeaking: SpeakingHandler
    private let logger: Logger
    private var readers: [String: (session: PeerSession, tasks: [Task<Void, Never>])] = [:]
    private var started = false
    private var stopped = false
    private var audioTicks = TickHistogram()
    private var videoTicks = TickHistogram()
    private var audioLatency = TickHistogram(bounds: TickHistogram.latencyBounds)
    private var videoLatency = TickHistogram(bounds: TickHistogram.latencyBounds)
    /// CPU time of the room's two threads: its own and its encode thread's.
    private var cpuSeconds: Double { roomThreadCPU + encodeThreadCPU }
    private var roomThreadCPU: Double = 0
    private var encodeThreadCPU: Double = 0
    private var schedule: TickSchedule
    private var speedControl = EncoderSpeedControl()
    private var recording: (recorder: any MixRecorder, onEnd: @Sendable (RecordingEnd) -> Void)?
    private let inbox = FrameInbox()

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public init(
        id: String, settings: MixerSettings, output: any MixOutput, clock: @escaping @Sendable () -> Duration, logger: Logger,
        onSpeaking: @escaping SpeakingHandler
    ) throws {
        self.id = id
        mixer = try RoomMixer(settings: settings, epoch: clock())
        schedule = TickSchedule(epoch: mixer.epoch, videoInterval: settings.frameInterval)
        executor = RoomExecutor(name: "room-\(id.prefix(10))")
        encoder = VideoEncodeWorker(executor: RoomExecutor(name: "enc-\(id.prefix(10))"))
        self.output = output
        self.clock = clock
        self.onSpeaking = onSpeaking
        self.logger = logger
    }

    deinit {
        executor.shutdown()
        encoder.shutdown()
    }

    /// Starts the ticks.
    public func start() {
        guard !started, !stopped else { return }
        started = true
        logger.info("room mixer started", metadata: ["room": "\(id)", "settings": "\(mixer.settings)"])
        runDueTick()
    }

    /// Adds a session's participant; false if the room already stopped (the caller makes a new one).
    public func add(_ session: PeerSession, as participant: MixerParticipant) -> Bool {
        guard !stopped else { return false }
        mixer.add(participant, now: clock())
        let inbox = self.inbox
        let sessionID = session.id
        // Frames go to the inbox straight from the media port's event loop, not through the
        // actor or a task per frame; the reader takes any queued before that took effect.
        session.deliverFrames { frame in inbox.push(frame, from: sessionID) }
        readers[participant.id] = (session, [
            Task.detached { for await frame in session.frames { inbox.push(frame, from: sessionID) } },
            Task { await self.readEvents(of: session, receivesVideo: participant.receivesVideo) },
        ])
        return true
    }

    /// Removes a participant at once (left, kicked, timed out); returns true when the room
    /// is now empty and has stopped.
    public func remove(_ participantId: String) async -> Bool {
        mixer.remove(participantId)
        if let reader = readers.removeValue(forKey: participantId) { stopReading(reader) }
        if mixer.isEmpty { await stop() }
        return stopped
    }

    public func setMuted(_ participantId: String, audio: Bool?, video: Bool?) {
        mixer.setMuted(participantId, audio: audio, video: video)
    }

    /// Applies a room update (layout, video size, fps, bitrate) from the next tick on.
    public func apply(_ settings: MixerSettings) {
        do {
            try mixer.apply(settings)
        } catch {
            logger.error("room settings not applied", metadata: ["room": "\(id)", "error": "\(error)"])
        }
    }

    /// Starts feeding `recorder` with the mix from the next tick (a keyframe first); false
    /// when the room has stopped or already records. `onEnd` is called once, when the room
    /// stops feeding it.
    public func startRecording(_ recorder: any MixRecorder, onEnd: @escaping @Sendable (RecordingEnd) -> Void) -> Bool {
        guard !stopped, recording == nil else { return false }
        recording = (recorder, onEnd)
        mixer.recording = true
        return true
    }

    /// Stops feeding the recorder; false if none was fed. The composite being encoded, drawn
    /// while the recording ran, is recorded first.
    public func stopRecording() async -> Bool {
        guard recording != nil else { return false }
        await finishInFlightEncode()
        return endRecording(.stopped)
    }

    @discardableResult
    private func endRecording(_ end: RecordingEnd) -> Bool {
        guard let current = recording else { return false }
        recording = nil
        mixer.recording = false
        current.onEnd(end)
        return true
    }

    public var isRecording: Bool { recording != nil }

    public func statistics() -> RoomStatistics {
        RoomStatistics(
            roomId: id, participants: mixer.participantIDs.count, counters: mixer.counters, audioTicks: audioTicks,
            videoTicks: videoTicks, audioLatency: audioLatency, videoLatency: videoLatency, cpuSeconds: cpuSeconds,
            skippedTicks: skippedTicks, encoderSpeed: mixer.encoderSpeed,
            inboxDropped: inbox.dropped, playoutDelay: mixer.playoutDelay)
    }

    /// Ends what a participant's session hands the room: its reader tasks, and its frames
    /// (a session can outlive its place in the room; its frames then go nowhere).
    private func stopReading(_ reader: (session: PeerSession, tasks: [Task<Void, Never>])) {
        for task in reader.tasks { task.cancel() }
        reader.session.deliverFrames { _ in }
    }

    /// Stops the ticks and the readers; the thread ends once the room is released. The
    /// composite being encoded is taken back first, so a recording gets the last frame.
    public func stop() async {
        guard !stopped else { return }
        stopped = true
        executor.cancelTimer()
        for reader in readers.values { stopReading(reader) }
        readers.removeAll()
        await finishInFlightEncode()
        endRecording(.roomStopped)
        logger.info(
            "room mixer stopped",
            metadata: [
                "room": "\(id)", "videoFramesEncoded": "\(mixer.counters.videoFramesEncoded)",
                "cpuSeconds": "\(cpuSeconds)", "skippedTicks": "\(skippedTicks)",
            ])
    }

    private func readEvents(of session: PeerSession, receivesVideo: Bool) async {
        for await event in session.events {
            switch event {
            case .connected:
                // Whatever was encoded before DTLS finished never reached it: the next
                // frame is a keyframe (unless one was forced in the last 500 ms).
                if receivesVideo { mixer.keyframeRequested(now: clock()) }
            case .keyframeRequested:
                mixer.keyframeRequested(now: clock())
            case .senderReport(let ssrc, let ntp, let rtpTimestamp):
                mixer.senderReport(from: session.id, ssrc: ssrc, ntp: ntp, rtpTimestamp: rtpTimestamp)
            case .bandwidthEstimate:
                break
            case .closed:
                mixer.remove(session.id)
            }
        }
    }

    /// Runs the tick due now, if any, then sets the room thread's timer: for the next tick
    /// when none is due, else at once, so that the jobs queued meanwhile (frames' events,
    /// settings, the encoder's completion) run before the next tick does.
    private func runDueTick() {
        guard !stopped else { return }
        let skippedBefore = schedule.skippedTicks
        switch schedule.next(now: clock()) {
        case .run(.audio(let time)):
            tickAudio(at: time)
        case .run(.video(let time)):
            // A tick still deferred is superseded by this one and dropped, whether the
            // encoder is still busy or finished before its completion reached the room
            // (run late, it would start an encode over the one this tick starts).
            if deferredVideo != nil {
                noteEncoderBusy()
                deferredVideo = nil
            }
            if encoding?.done.isDone == false {
                // The encoder is still on the previous frame (CPU starved, or a slow
                // keyframe): this frame waits for it off the run loop.
                deferredVideo = (time, .now)
            } else {
                tickVideo(at: time)
            }
        case .wait(let wait):
            return setTimer(after: wait)
        }
        if schedule.skippedTicks != skippedBefore {
            logger.warning(
                "room fell behind and did not catch up, ticks skipped",
                metadata: ["room": "\(id)", "skipped": "\(schedule.skippedTicks - skippedBefore)"])
        }
        setTimer(after: .zero)
    }

    /// The room thread calls back after `wait` (on its own clock: real time), into a task
    /// that starts on the room's executor, so no other thread wakes for a tick.
    private func setTimer(after wait: Duration) {
        let executor = self.executor
        executor.setTimer(at: .now + wait) { [weak self] in
            guard let self else { return }
            Task(executorPreference: executor) { await self.runDueTick() }
        }
    }

    private func takeInputs() {
        for (participantId, frame) in inbox.drain() { mixer.receive(frame, from: participantId) }
    }

    private func tickAudio(at time: Duration) {
        let started = ContinuousClock.now
        takeInputs()
        let mixed = mixer.mixAudio(at: time)
        for packet in mixed.packets {
            guard let recorder = recording?.recorder, packet.receivers.contains(RoomMixer.recorderID) else {
                output.send(packet.frame, to: packet.receivers)
                continue
            }
            output.send(packet.frame, to: packet.receivers.filter { $0 != RoomMixer.recorderID })
            do {
                try recorder.recordAudio(packet.frame.data, at: packet.frame.captureTime ?? time)
            } catch {
                endRecording(.failed("\(error)"))
            }
        }
        if !mixed.packets.isEmpty {
            let sent = clock()
            for arrival in mixed.inputArrivals { audioLatency.observe(sent - arrival) }
        }
        for change in mixed.speaking { onSpeaking(change.id, change.speaking) }
        audioTicks.observe(ContinuousClock.now - started)
        roomThreadCPU = threadCPUSeconds()
    }

    /// Draws the composite and hands it to the encode thread, which sends it; the frame
    /// before it (done: see `run`) is taken back first (recorded, counted, its latency and
    /// tick observed). No suspension point: a deferred tick and the run loop cannot interleave.
    private func tickVideo(at time: Duration, started: ContinuousClock.Instant = .now) {
        finishEncoding()
        takeInputs()
        let composite = mixer.composeVideo(at: time)
        for participantId in composite.keyframeNeeded { output.requestKeyframe(sessionID: participantId) }
        if let request = composite.request {
            let job = VideoEncodeWorker.Job(
                request: request, stage: mixer.encodeStage, receivers: composite.receivers,
                inputArrivals: composite.inputArrivals, started: started)
            encoding = encoder.start(job, output: output, clock: clock) { [weak self] in await self?.encoderFinished() }
        } else {
            videoTicks.observe(ContinuousClock.now - started)
        }
        schedule.setVideoInterval(mixer.settings.frameInterval)
        if let shift = mixer.videoTickShift(now: time) {
            schedule.shiftVideo(by: shift.offset)
            logger.debug(
                "video ticks moved to follow the inputs",
                metadata: [
                    "room": "\(id)", "offset": "\(shift.offset)",
                    "meanWait": "\(shift.meanWaitBefore) -> \(shift.meanWaitAfter)",
                ])
        }
        roomThreadCPU = threadCPUSeconds()
    }

    /// The encode thread finished a frame: a video tick that waited for it runs now.
    private func encoderFinished() {
        guard let deferred = deferredVideo, !stopped, encoding?.done.isDone != false else { return }
        deferredVideo = nil
        tickVideo(at: deferred.time, started: deferred.due)
    }

    /// Counts a deferred video tick dropped for a busy encoder; logs at most every 10 s.
    private func noteEncoderBusy() {
        encoderBusyTicks += 1
        let now = clock()
        if let logged = encoderBusyLogged, now - logged.at < .seconds(10) { return }
        logger.warning(
            "encoder still busy at the next frame, video frames dropped",
            metadata: ["room": "\(id)", "dropped": "\(encoderBusyTicks - (encoderBusyLogged?.ticks ?? 0))"])
        encoderBusyLogged = (now, encoderBusyTicks)
    }

    /// Waits for the composite being encoded, then takes it back (`finishEncoding`). A
    /// deferred tick may run meanwhile (unless the room stopped) and take it back first.
    private func finishInFlightEncode() async {
        guard let running = encoding else { return }
        await running.task.value
        if encoding?.task == running.task { finishEncoding() }
    }

    /// Takes the finished composite back: the room's counters and recording, its latency,
    /// and the tick's duration (from the tick's start to the frame sent) for the encoder's
    /// speed control.
    private func finishEncoding() {
        guard let encoding, let encoded = encoding.done.result else { return }
        self.encoding = nil
        mixer.finishVideo(encoded.result)
        encodeThreadCPU = encoded.threadCPU
        if let frame = encoded.result.frame {
            if let recorder = recording?.recorder {
                do {
                    try recorder.recordVideo(frame.data, isKeyframe: encoded.result.isKeyframe, at: encoded.result.time)
                } catch {
                    endRecording(.failed("\(error)"))
                }
            }
            for arrival in encoded.inputArrivals { videoLatency.observe(encoded.sent - arrival) }
        }
        videoTicks.observe(encoded.elapsed)
        let settings = mixer.settings
        if let speed = speedControl.observe(
            tick: encoded.elapsed, interval: settings.frameInterval, current: mixer.encoderSpeed, configured: settings.encoderSpeed)
        {
            logger.notice(
                "room encoder speed changed", metadata: ["room": "\(id)", "speed": "\(speed)", "configured": "\(settings.encoderSpeed)"])
            mixer.setEncoderSpeed(speed)
        }
    }
}
