import Testing
import TesseraMedia

@Suite struct PlayoutBufferTests {
    /// 30 fps video: 3000 ticks of 90 kHz per frame, 33.3 ms apart.
    static let frameTicks: UInt32 = 3000
    static let frameInterval = Duration.seconds(1) / 30

    @Test func steadyArrivalsPlayAfterOnlyTheMargin() {
        var buffer = PlayoutBuffer<Int>(clockRate: 90_000)
        for index in 0..<30 {
            buffer.insert(index, rtpTimestamp: UInt32(index) * Self.frameTicks, arrival: .milliseconds(100) + Self.frameInterval * index)
        }
        // No jitter: the delay is the 5 ms margin, not a fixed jitter-buffer floor.
        #expect(abs(buffer.delay - .milliseconds(5)) < .microseconds(1), "\(buffer.delay)")
        // Frame 0 arrived at 100 ms and plays at 105 ms.
        #expect(buffer.due(at: .milliseconds(104)).isEmpty)
        #expect(buffer.due(at: .milliseconds(106)) == [0])
        #expect(buffer.due(at: .milliseconds(106) + Self.frameInterval * 2) == [1, 2])
    }

    @Test func aLowerBoundKeepsAMinimumDelay() {
        var buffer = PlayoutBuffer<Int>(clockRate: 90_000, delayBounds: .milliseconds(20)...(.milliseconds(200)))
        #expect(buffer.delay == .milliseconds(20))
        for index in 0..<30 {
            buffer.insert(index, rtpTimestamp: UInt32(index) * Self.frameTicks, arrival: Self.frameInterval * index)
        }
        #expect(buffer.delay == .milliseconds(20))
        #expect(buffer.due(at: .milliseconds(19)).isEmpty)
        #expect(buffer.due(at: .milliseconds(20)) == [0])
    }

    @Test func delayFollowsJitterWithinBounds() {
        var buffer = PlayoutBuffer<Int>(clockRate: 90_000)
        var generator = LCG(seed: 1)
        for index in 0..<64 {
            let jitter = Duration.milliseconds(Int(generator.next() % 80))
            buffer.insert(index, rtpTimestamp: UInt32(index) * Self.frameTicks, arrival: Self.frameInterval * index + jitter)
        }
        #expect(buffer.delay >= .milliseconds(60))
        #expect(buffer.delay <= .milliseconds(90))

        var wild = PlayoutBuffer<Int>(clockRate: 90_000)
        for index in 0..<64 {
            let jitter = Duration.milliseconds(index % 2 == 0 ? 0 : 900)
            wild.insert(index, rtpTimestamp: UInt32(index) * Self.frameTicks, arrival: Self.frameInterval * index + jitter)
        }
        #expect(wild.delay == .milliseconds(200))
    }

    @Test func reorderedFramesComeOutInMediaOrderAndLateOnesAreDropped() {
        var buffer = PlayoutBuffer<Int>(clockRate: 90_000)
        buffer.insert(0, rtpTimestamp: 0, arrival: .zero)
        buffer.insert(2, rtpTimestamp: 2 * Self.frameTicks, arrival: .milliseconds(67))
        buffer.insert(1, rtpTimestamp: 1 * Self.frameTicks, arrival: .milliseconds(70))
        #expect(buffer.due(at: .seconds(1)) == [0, 1, 2])
        buffer.insert(1, rtpTimestamp: 1 * Self.frameTicks, arrival: .seconds(1))
        #expect(buffer.lateFrames == 1)
        #expect(buffer.count == 0)
    }

    @Test func latestSkipsToTheNewestDueFrame() {
        var buffer = PlayoutBuffer<Int>(clockRate: 90_000)
        for index in 0..<5 {
            buffer.insert(index, rtpTimestamp: UInt32(index) * Self.frameTicks, arrival: Self.frameInterval * index)
        }
        #expect(buffer.latest(at: .milliseconds(6) + Self.frameInterval * 3) == 3)
        #expect(buffer.count == 1)
    }

    @Test func syncDelayHoldsFramesBack() {
        var buffer = PlayoutBuffer<Int>(clockRate: 48_000)
        buffer.syncDelay = .milliseconds(50)
        buffer.insert(0, rtpTimestamp: 0, arrival: .zero)
        // 5 ms margin + 50 ms sync delay.
        #expect(buffer.due(at: .milliseconds(54)).isEmpty)
        #expect(buffer.due(at: .milliseconds(56)) == [0])
    }

    @Test func timestampsUnwrapAcrossTheThirtyTwoBitWrap() {
        var unwrapper = TimestampUnwrapper()
        #expect(unwrapper.unwrap(UInt32.max - 2999) == Int64(UInt32.max) - 2999)
        #expect(unwrapper.unwrap(UInt32.max) == Int64(UInt32.max))
        #expect(unwrapper.unwrap(2999) == Int64(UInt32.max) + 3000)
        // Reordered slightly backwards after the wrap stays on the far side.
        #expect(unwrapper.unwrap(UInt32.max) == Int64(UInt32.max))

        var buffer = PlayoutBuffer<Int>(clockRate: 90_000)
        buffer.insert(0, rtpTimestamp: UInt32.max - 2999, arrival: .zero)
        buffer.insert(1, rtpTimestamp: 1, arrival: Self.frameInterval)
        #expect(buffer.due(at: .seconds(1)) == [0, 1])
    }

    @Test func poppingDueFramesOneByOneGivesWhatDueGivesInTheSameOrder() {
        var batch = PlayoutBuffer<Int>(clockRate: 90_000)
        var single = batch
        var generator = LCG(seed: 7)
        for index in 0..<40 {
            // Out of order by up to two frames, with jitter.
            let position = index + Int(generator.next() % 3)
            let jitter = Duration.milliseconds(Int(generator.next() % 30))
            let arrival = Self.frameInterval * position + jitter
            batch.insert(index, rtpTimestamp: UInt32(index) * Self.frameTicks, arrival: arrival)
            single.insert(index, rtpTimestamp: UInt32(index) * Self.frameTicks, arrival: arrival)
        }
        for tick in 1...60 {
            let now = Self.frameInterval * tick
            var popped: [Int] = []
            while let frame = single.popDue(at: now) { popped.append(frame) }
            #expect(popped == batch.due(at: now), "at tick \(tick)")
        }
        #expect(single.count == 0 && batch.count == 0)
        #expect(single.popDue(at: .seconds(10)) == nil)
    }

    @Test func capacityBoundsTheQueue() {
        var buffer = PlayoutBuffer<Int>(clockRate: 90_000, capacity: 4)
        for index in 0..<10 {
            buffer.insert(index, rtpTimestamp: UInt32(index) * Self.frameTicks, arrival: .zero)
        }
        #expect(buffer.count == 4)
        #expect(buffer.overflowFrames == 6)
    }
}

/// A tiny deterministic generator for jitter patterns.
struct LCG {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }
}

private func abs(_ value: Duration) -> Duration { value < .zero ? .zero - value : value }
