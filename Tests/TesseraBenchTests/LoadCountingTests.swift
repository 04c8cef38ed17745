import Testing

@testable import TesseraBench

/// The load client counts what the room sends back itself, without a jitter buffer: these
/// are the rules its capacity verdicts rest on.
struct LoadCountingTests {
    private func wholeFrames(_ packets: [(sequence: UInt16, marker: Bool)]) -> Int {
        var counter = LoadFrameCounter()
        return packets.filter { counter.add(sequenceNumber: $0.sequence, marker: $0.marker) }.count
    }

    @Test func aFrameCountsOnlyWhenItsMarkerClosesAnUnbrokenRunSinceThePreviousMarker() {
        // Joined mid-frame (65533 without its start): counted from the first marker on. Then
        // a whole frame across the sequence wrap, one missing 2, and a whole one again.
        let packets: [(UInt16, Bool)] = [
            (65533, true), (65534, false), (65535, false), (0, true), (1, false), (3, true), (4, false), (5, true),
        ]
        #expect(wholeFrames(packets.map { (sequence: $0.0, marker: $0.1) }) == 2)
    }

    @Test func aOnePacketFrameAfterAnotherCounts() {
        #expect(wholeFrames([(10, true), (11, true), (12, true)]) == 2)
        #expect(wholeFrames([(10, true), (12, true)]) == 0, "11 was lost: the frame it belonged to does not count")
    }

    @Test func arrivalsAreCountedPerWindowAndPerWholeSecond() {
        var arrivals = LoadArrivals()
        // 30 frames in second [100, 101), 12 in [101, 102), 30 in [102, 103).
        for index in 0..<30 { arrivals.record(100 + Double(index) / 30) }
        for index in 0..<12 { arrivals.record(101 + Double(index) / 12) }
        for index in 0..<30 { arrivals.record(102 + Double(index) / 30) }
        #expect(arrivals.count(100, 103) == 72)
        #expect(arrivals.count(101, 102) == 12)
        #expect(arrivals.rate(100, 103) == 24)
        #expect(arrivals.minPerSecond(100, 103) == 12)
        #expect(arrivals.minPerSecond(102, 103) == 30)
        #expect(arrivals.count(99, 100) == 0 && arrivals.count(103, 200) == 0)
    }
}
