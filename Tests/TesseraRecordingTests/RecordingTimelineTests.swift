import Testing
@testable import TesseraRecording

@Suite struct RecordingTimelineTests {
    @Test func firstKeyframeIsZeroAndEverythingBeforeItIsDropped() {
        var timeline = RecordingTimeline(waitsForKeyframe: true)
        #expect(timeline.place(.seconds(5), track: .audio, isKeyframe: true) == nil)
        #expect(timeline.place(.seconds(5), track: .video, isKeyframe: false) == nil)
        #expect(timeline.place(.milliseconds(5100), track: .video, isKeyframe: true) == 0)
        #expect(timeline.place(.milliseconds(5090), track: .audio, isKeyframe: true) == nil)  // before the origin
        #expect(timeline.place(.milliseconds(5120), track: .audio, isKeyframe: true) == 20)
        #expect(timeline.place(.milliseconds(5133), track: .video, isKeyframe: false) == 33)
        #expect(timeline.end == .milliseconds(33))
    }

    @Test func withoutVideoTheFirstPacketStarts() {
        var timeline = RecordingTimeline(waitsForKeyframe: false)
        #expect(timeline.place(.seconds(2), track: .audio, isKeyframe: true) == 0)
        #expect(timeline.place(.milliseconds(2020), track: .audio, isKeyframe: true) == 20)
    }

    @Test func duplicatesAndStepsBackAreDroppedPerTrack() {
        var timeline = RecordingTimeline(waitsForKeyframe: true)
        #expect(timeline.place(.seconds(1), track: .video, isKeyframe: true) == 0)
        #expect(timeline.place(.seconds(1), track: .video, isKeyframe: false) == nil)
        #expect(timeline.place(.seconds(1), track: .audio, isKeyframe: true) == 0)  // another track may share it
        #expect(timeline.place(.milliseconds(1040), track: .video, isKeyframe: false) == 40)
        #expect(timeline.place(.milliseconds(1030), track: .video, isKeyframe: false) == nil)
    }

    @Test func laterTimestampsThatRoundToTheSameMillisecondAreNudged() {
        var timeline = RecordingTimeline(waitsForKeyframe: false)
        #expect(timeline.place(.microseconds(10_000), track: .audio, isKeyframe: true) == 0)
        #expect(timeline.place(.microseconds(10_300), track: .audio, isKeyframe: true) == 1)  // rounds to 0
        #expect(timeline.place(.microseconds(10_400), track: .audio, isKeyframe: true) == 2)
        #expect(timeline.place(.microseconds(30_000), track: .audio, isKeyframe: true) == 20)
    }

    @Test(arguments: [
        (Duration.zero, Int64(0)), (.microseconds(499), 0), (.microseconds(500), 1),
        (.nanoseconds(33_333_333), 33), (.seconds(3600), 3_600_000),
    ])
    func durationsRoundToTheNearestMillisecond(duration: Duration, milliseconds: Int64) {
        #expect(RecordingTimeline.milliseconds(duration) == milliseconds)
    }
}

@Suite struct OpusHeadTests {
    /// RFC 7845 §5.1 layout for stereo, pre-skip 312 (0x0138), 48 000 Hz (0x0000BB80).
    @Test func identificationHeaderMatchesRFC7845() {
        let expected: [UInt8] = Array("OpusHead".utf8) + [1, 2, 0x38, 0x01, 0x80, 0xBB, 0x00, 0x00, 0x00, 0x00, 0x00]
        #expect(OpusHead.bytes(channels: 2, preSkip: 312) == expected)
        #expect(OpusHead.bytes(channels: 2, preSkip: 312).count == OpusHead.size)
    }
}
