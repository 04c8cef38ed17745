import Testing
import TesseraMixer

@Suite struct TickScheduleTests {
    private let frame: Duration = .seconds(1) / 30
    private let tick = MixerSettings.audioInterval

    /// Runs every tick due at `now`, in order.
    private func drain(_ schedule: inout TickSchedule, now: Duration) -> [TickSchedule.Tick] {
        var ticks: [TickSchedule.Tick] = []
        while case .run(let tick) = schedule.next(now: now) { ticks.append(tick) }
        return ticks
    }

    private func videoTimes(_ ticks: [TickSchedule.Tick]) -> [Duration] {
        ticks.compactMap { if case .video(let at) = $0 { at } else { nil } }
    }

    private func audioTimes(_ ticks: [TickSchedule.Tick]) -> [Duration] {
        ticks.compactMap { if case .audio(let at) = $0 { at } else { nil } }
    }

    @Test func onTimeTicksSitOnExactMultiplesAndTheScheduleSaysHowLongToWait() {
        let start = Duration.seconds(10)
        var schedule = TickSchedule(epoch: start, videoInterval: frame)
        #expect(schedule.next(now: start) == .wait(tick))
        let late = start + tick + .milliseconds(1)
        #expect(schedule.next(now: late) == .run(.audio(at: start + tick)))
        #expect(schedule.next(now: late) == .wait(min(tick * 2, frame) - tick - .milliseconds(1)))
        // What is due by one frame and a bit runs in time order: the audio ticks, the frame.
        let ran = drain(&schedule, now: start + frame + .milliseconds(1))
        let audio = (2...Int(frame / tick)).map { TickSchedule.Tick.audio(at: start + tick * $0) }
        #expect(ran == audio + [.video(at: start + frame)])
    }

    /// The join/leave stall: a room held up for 250 ms (longer than the 200 ms it used to
    /// tolerate) must not leave a hole in the timeline its receivers see.
    @Test func aRoomHeldUpFor250msRunsTheMissedTicksBackToBackWithoutAGap() {
        var schedule = TickSchedule(epoch: .zero, videoInterval: frame)
        var ticks = drain(&schedule, now: .milliseconds(100))
        ticks += drain(&schedule, now: .milliseconds(350))
        ticks += drain(&schedule, now: .milliseconds(400))
        let video = videoTimes(ticks)
        let audio = audioTimes(ticks)
        #expect(video.count == 12 && audio.count == Int(.milliseconds(400) / tick))
        #expect(zip(video, video.dropFirst()).allSatisfy { $1 - $0 == frame }, "video timeline has a gap: \(video)")
        #expect(zip(audio, audio.dropFirst()).allSatisfy { $1 - $0 == tick }, "audio timeline has a gap")
        #expect(schedule.skippedTicks == 0)
        let times = ticks.map { tick -> Duration in
            switch tick {
            case .audio(let at), .video(let at): at
            }
        }
        #expect(times == times.sorted(), "the catch-up runs the earliest tick first")
    }

    @Test func aRoomMoreThanASecondBehindSkipsToThePresentAndCountsIt() {
        var schedule = TickSchedule(epoch: .zero, videoInterval: frame)
        _ = drain(&schedule, now: .milliseconds(40))
        let ticks = drain(&schedule, now: .milliseconds(3_040))
        let video = videoTimes(ticks)
        let audio = audioTimes(ticks)
        #expect(audio == [.milliseconds(3_040)], "only the present audio tick runs: \(audio)")
        #expect(video == [frame * 91], "only the present video tick runs: \(video)")
        // 40 ms in: the audio ticks to 40 ms and video tick 1 ran; 3.04 s: the audio ticks
        // between and video 2..90 were missed.
        let missedAudio = Int(.milliseconds(3_040) / tick) - Int(.milliseconds(40) / tick) - 1
        #expect(schedule.skippedTicks == missedAudio + 89)
        #expect(schedule.next(now: .milliseconds(3_041)) == .wait(tick - .milliseconds(1)))
    }

    @Test func aNewFrameRateStartsOneNewIntervalAfterTheLastFrame() {
        var schedule = TickSchedule(epoch: .zero, videoInterval: frame)
        let first = videoTimes(drain(&schedule, now: .milliseconds(70)))
        #expect(first == [frame, frame * 2])
        schedule.setVideoInterval(.milliseconds(100))
        let next = videoTimes(drain(&schedule, now: .milliseconds(400)))
        #expect(next == [frame * 2 + .milliseconds(100), frame * 2 + .milliseconds(200), frame * 2 + .milliseconds(300)])
    }

    /// An overloaded room (its ticks cost twice real time) must not drift ever further
    /// behind: when it is no closer to its schedule after half a second, it gives up the
    /// missed ticks, so the delay it adds stays bounded.
    @Test func aRoomThatCannotKeepUpSkipsRatherThanFallingEverFurtherBehind() throws {
        var schedule = TickSchedule(epoch: .zero, videoInterval: frame)
        var now: Duration = .zero
        var worstLag: Duration = .zero
        var lagAfterSkip: Duration?
        while now < .seconds(10) {
            switch schedule.next(now: now) {
            case .run(let tick):
                let skippedBefore = schedule.skippedTicks
                switch tick {
                case .audio(let at):
                    worstLag = max(worstLag, now - at)
                    now += .milliseconds(10)
                case .video(let at):
                    worstLag = max(worstLag, now - at)
                    if skippedBefore > 0, lagAfterSkip == nil { lagAfterSkip = now - at }
                    now += .milliseconds(50)
                }
            case .wait(let wait):
                now += wait
            }
        }
        #expect(schedule.skippedTicks > 0)
        // Behind by 100 ms, then half a second at real-time cost 2 (lag grows 1 s per s).
        #expect(worstLag <= TickSchedule.lateness + TickSchedule.persistence + .milliseconds(100), "lag \(worstLag)")
        #expect(try #require(lagAfterSkip) < frame, "after a skip the room is back on the present")
    }

    /// A room recovering from a long stall (one that takes more than `persistence` to
    /// make up) keeps catching up as long as it gets closer to its schedule.
    @Test func aRoomThatIsCatchingUpIsNotCutShortEvenAfterHalfASecond() {
        var schedule = TickSchedule(epoch: .zero, videoInterval: frame)
        _ = drain(&schedule, now: .milliseconds(20))
        // Stalled 600 ms, then each tick costs 60% of real time: catching up takes ~1.4 s.
        var now: Duration = .milliseconds(620)
        var ran: [TickSchedule.Tick] = []
        while now < .seconds(3) {
            switch schedule.next(now: now) {
            case .run(let tick):
                ran.append(tick)
                switch tick {
                case .audio: now += .milliseconds(4)
                case .video: now += .milliseconds(14)
                }
            case .wait(let wait): now += wait
            }
        }
        let video = videoTimes(ran)
        #expect(schedule.skippedTicks == 0)
        #expect(zip(video, video.dropFirst()).allSatisfy { $1 - $0 == frame }, "video timeline has a gap")
    }

    @Test func movingTheVideoTicksMovesTheNextOnesAndLeavesAudioWhereItWas() {
        var schedule = TickSchedule(epoch: .zero, videoInterval: frame)
        var ticks = drain(&schedule, now: frame)
        schedule.shiftVideo(by: .milliseconds(7))
        ticks += drain(&schedule, now: frame * 3 + .milliseconds(7))
        schedule.shiftVideo(by: .milliseconds(-10))
        ticks += drain(&schedule, now: frame * 5)
        #expect(videoTimes(ticks) == [
            frame, frame * 2 + .milliseconds(7), frame * 3 + .milliseconds(7), frame * 4 - .milliseconds(3),
            frame * 5 - .milliseconds(3),
        ])
        let audio = audioTimes(ticks)
        #expect(audio == (1...audio.count).map { tick * $0 } && audio.last == tick * 16)
        #expect(schedule.skippedTicks == 0)
    }
}
