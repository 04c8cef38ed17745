import Testing
@testable import TesseraMixer

@Suite struct VideoTickAlignmentTests {
    private let frame: Duration = .seconds(1) / 30
    private let margin = VideoTickAlignment.margin

    private func ms(_ value: Double) -> Duration { .microseconds(Int64((value * 1_000).rounded())) }

    /// What the waits become with the ticks `offset` later (earlier when negative).
    private func moved(_ waits: [Duration], by offset: Duration) -> [Duration] {
        waits.map { wait in
            var moved = wait + offset
            while moved < .zero { moved += frame }
            while moved >= frame { moved -= frame }
            return moved
        }
    }

    @Test func inputsReadyJustAfterATickMoveTheTicksToJustAfterThem() throws {
        // Ready 28 ms before the tick: the tick after them is 25.5 ms earlier, the same grid
        // as 7.8 ms later, the shorter way.
        let waits = [ms(28), ms(28.5), ms(27.5)]
        let shift = try #require(VideoTickAlignment.shift(waits: waits, interval: frame))
        #expect(shift.offset == frame - (ms(27.5) - margin))
        #expect(shift.offset > .zero && shift.offset <= frame / 2)
        #expect(shift.meanWaitBefore == ms(28))
        let after = moved(waits, by: shift.offset)
        #expect(after.min() == margin, "the latest-ready input keeps the margin: \(after)")
        #expect(shift.meanWaitAfter == ms(2.5))
    }

    @Test func aShortMoveIsMadeEarlier() throws {
        let shift = try #require(VideoTickAlignment.shift(waits: [ms(9), ms(10)], interval: frame))
        #expect(shift.offset == .zero - (ms(9) - margin))
    }

    @Test func ticksAlreadyJustAfterTheInputsOrTooLittleToGainStayWhereTheyAre() {
        #expect(VideoTickAlignment.shift(waits: [ms(2), ms(3)], interval: frame) == nil)
        // Moving 2.9 ms earlier would save 2.9 ms on average: less than the minimum gain.
        #expect(VideoTickAlignment.shift(waits: [ms(4.9), ms(4.9)], interval: frame) == nil)
        #expect(VideoTickAlignment.shift(waits: [], interval: frame) == nil)
    }

    /// For scattered inputs the move chosen gives the least mean wait among all moves that
    /// leave every input at least the margin before its tick (checked every 0.1 ms), and no
    /// move is made only when staying is about as good.
    @Test func scatteredInputsGetTheLeastMeanWaitOfAnyMoveKeepingTheMargin() throws {
        var seed: UInt64 = 7
        func next(_ bound: UInt64) -> UInt64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (seed >> 33) % bound
        }
        for _ in 0..<40 {
            let waits = (0..<(2 + next(8))).map { _ in ms(Double(next(33_000)) / 1_000) }
            let mean = { (waits: [Duration]) in waits.reduce(.zero, +) / waits.count }
            // Staying is an option unless an input is closer to its tick than half the margin.
            let stays = waits.allSatisfy { $0 >= margin / 2 }
            var best = stays ? mean(waits) : frame
            for step in 1..<333 {
                let after = moved(waits, by: .zero - ms(Double(step) / 10))
                if after.allSatisfy({ $0 >= margin }) { best = min(best, mean(after)) }
            }
            guard let shift = VideoTickAlignment.shift(waits: waits, interval: frame) else {
                #expect(stays && mean(waits) - best < VideoTickAlignment.minimumGain + ms(0.1), "\(waits)")
                continue
            }
            let after = moved(waits, by: shift.offset)
            #expect(after.allSatisfy { $0 >= margin - ms(0.001) }, "\(waits) → \(after)")
            #expect(mean(after) <= best + ms(0.001), "\(waits): \(mean(after)) against \(best)")
            #expect(abs(shift.offset.seconds) <= frame.seconds / 2 + 1e-9)
            #expect(abs((shift.meanWaitAfter - mean(after)).seconds) < 1e-6)
        }
    }

    @Test func anInputReadyJustBeforeTheTickHasItMovedLater() throws {
        let shift = try #require(VideoTickAlignment.shift(waits: [ms(0.5), ms(1)], interval: frame))
        #expect(shift.offset == margin - ms(0.5))
        #expect(moved([ms(0.5), ms(1)], by: shift.offset) == [margin, ms(2.5)])
    }

    @Test func anInputIsSummedUpByItsLatestReadyFrameButOne() {
        var waits = ReadyWaits()
        #expect(waits.latestReady(interval: frame) == nil)
        for wait in [20, 21, 19, 10, 22] { waits.record(.milliseconds(wait)) }
        // One late outlier (10 ms) is ignored; a second is not.
        #expect(waits.latestReady(interval: frame) == .milliseconds(19))
        waits.record(.milliseconds(11))
        #expect(waits.latestReady(interval: frame) == .milliseconds(11))
        // The ring keeps the newest `capacity` waits.
        for _ in 0..<ReadyWaits.capacity { waits.record(.milliseconds(30)) }
        #expect(waits.count == ReadyWaits.capacity && waits.latestReady(interval: frame) == .milliseconds(30))
        waits.removeAll()
        #expect(waits.count == 0 && waits.latestReady(interval: frame) == nil)
    }

    /// Frames ready from 2 ms before the tick to 1 ms after it: those after it missed it
    /// and waited almost a whole interval. The input's latest-ready frames are those.
    @Test func anInputStraddlingTheTickIsReadAroundTheInterval() throws {
        var waits = ReadyWaits()
        let spread = [ms(2), ms(0.5), ms(1.5), frame - ms(1), frame - ms(0.5), ms(0.2), frame - ms(0.8)]
        for wait in spread { waits.record(wait) }
        let read = waits.latestReady(interval: frame)
        let latest = try #require(read)
        #expect(latest == frame - ms(0.8), "the latest but one")
        // The ticks move 2.8 ms later: every one of these frames is then ready 2 ms or more before.
        let shift = try #require(VideoTickAlignment.shift(waits: [latest], interval: frame))
        #expect(shift.offset == ms(2.8))
        #expect(moved(spread, by: shift.offset).filter { $0 < margin } == [ms(1.8)], "only the outlier")
    }

    /// A tick that ran late (the room short of CPU) takes frames that arrived after its
    /// time: their waits are not the input's phase and are not recorded; a frame that was
    /// ready before the tick's time is.
    @Test func framesArrivingAfterALateTicksTimeAreNotRecorded() throws {
        let sender = try SyntheticParticipant(id: "a", colour: (16, 128, 128), tone: 500, ssrcBase: 100)
        let input = VideoInput()
        let half = frame / 2
        // Tick at 100 ms, run at 104 ms: the frame arrived at 103 ms.
        input.insert(try sender.nextVideo(arrival: .milliseconds(103)))
        _ = input.update(until: .milliseconds(100) + half, now: .milliseconds(100))
        #expect(input.framesDecoded == 1 && input.readyWaits.count == 0)
        // The next frame arrives at 130 ms, before the tick at 133.3 ms: it waited 3.3 ms.
        input.insert(try sender.nextVideo(arrival: .milliseconds(130)))
        _ = input.update(until: .milliseconds(100) + frame + half, now: .milliseconds(100) + frame)
        #expect(input.framesDecoded == 2 && input.readyWaits.count == 1)
        #expect(input.readyWaits.latestReady(interval: frame) == nil, "one wait is not a record")
    }
}
