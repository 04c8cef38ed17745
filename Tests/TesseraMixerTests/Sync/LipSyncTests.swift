import Testing
import TesseraMedia
import TesseraMixer
import TesseraTransport

@Suite struct LipSyncTests {
    /// A sender captures audio and video at the same instants; video reaches us 80 ms later
    /// than audio, and its RTP clocks start at unrelated offsets. After sync, the audio frame
    /// and the video frame of one instant play at the same room time.
    @Test func audioAndVideoOfOneInstantPlayTogether() throws {
        let audioStart: UInt32 = 123_456
        let videoStart: UInt32 = 4_000_000_000
        let wallClockStart = 1_800_000_000.0
        var audio = PlayoutBuffer<Int>(clockRate: 48_000)
        var video = PlayoutBuffer<Int>(clockRate: 90_000)
        for step in 0..<50 {
            let capture = Duration.milliseconds(40 * step)
            let audioRTP = audioStart &+ UInt32(step * 1920)
            let videoRTP = videoStart &+ UInt32(step * 3600)
            audio.insert(step, rtpTimestamp: audioRTP, arrival: .seconds(10) + capture + .milliseconds(30))
            video.insert(step, rtpTimestamp: videoRTP, arrival: .seconds(10) + capture + .milliseconds(110))
        }
        var sync = LipSync()
        #expect(sync.syncDelays(audio: audio, video: video) == nil)
        sync.audio = .init(ntp: NTPTime(secondsSince1970: wallClockStart), rtpTimestamp: audioStart)
        sync.video = .init(ntp: NTPTime(secondsSince1970: wallClockStart), rtpTimestamp: videoStart)
        let delays = try #require(sync.syncDelays(audio: audio, video: video))
        #expect(delays.video == .zero)
        #expect(abs((delays.audio - .milliseconds(80)) / .milliseconds(1)) < 1)

        audio.syncDelay = delays.audio
        video.syncDelay = delays.video
        // Step 10 of both: find when each becomes due.
        func dueTime(_ buffer: inout PlayoutBuffer<Int>, index: Int) -> Duration? {
            var time = Duration.seconds(10)
            while time < .seconds(14) {
                if buffer.due(at: time).contains(index) { return time }
                time += .milliseconds(1)
            }
            return nil
        }
        let audioTime = try #require(dueTime(&audio, index: 10))
        let videoTime = try #require(dueTime(&video, index: 10))
        #expect(abs((audioTime - videoTime) / .milliseconds(1)) <= 2)
    }

    @Test func implausibleClocksAreNotFollowed() {
        var audio = PlayoutBuffer<Int>(clockRate: 48_000)
        var video = PlayoutBuffer<Int>(clockRate: 90_000)
        audio.insert(0, rtpTimestamp: 0, arrival: .zero)
        video.insert(0, rtpTimestamp: 0, arrival: .zero)
        var sync = LipSync()
        sync.audio = .init(ntp: NTPTime(secondsSince1970: 1_800_000_000), rtpTimestamp: 0)
        sync.video = .init(ntp: NTPTime(secondsSince1970: 1_800_000_005), rtpTimestamp: 0)
        #expect(sync.syncDelays(audio: audio, video: video) == nil)
    }
}
