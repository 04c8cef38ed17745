import Foundation
import Testing
import TesseraRecording

/// What `WebMWriter` writes, judged by Debian's ffprobe and ffmpeg.
@Suite struct WebMWriterTests {
    /// A unique path in a fresh temporary directory, removed when `body` returns.
    private static func withTemporaryFile<R>(_ body: (String) throws -> R) throws -> R {
        let directory = NSTemporaryDirectory() + "tessera-recording-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try body(directory + "/recording.webm")
    }

    private static func write(_ packets: [SyntheticClip.Packet], to writer: WebMWriter) throws {
        for packet in packets {
            switch packet.kind {
            case .video(let isKeyframe): try writer.writeVideo(packet.bytes, isKeyframe: isKeyframe, timestamp: packet.timestamp)
            case .audio: try writer.writeAudio(packet.bytes, timestamp: packet.timestamp)
            }
        }
    }

    private static func expectDecodesCleanly(_ path: String) throws {
        let decoded = try FFTools.decode(path)
        #expect(decoded.status == 0, "ffmpeg exited \(decoded.status)")
        #expect(decoded.stderr.isEmpty, "ffmpeg reported: \(decoded.stderr)")
    }

    @Test func finishedClipIsWebMWithOneVP8AndOneOpusStreamOfTheClipsDuration() throws {
        let clip = try SyntheticClip(seconds: 3)
        try Self.withTemporaryFile { path in
            let writer = try WebMWriter(path: path, video: (SyntheticClip.width, SyntheticClip.height), audio: true)
            try Self.write(clip.packets, to: writer)
            try writer.finish()

            #expect(writer.videoPacketCount == 90)
            #expect(writer.audioPacketCount == 150)
            #expect(writer.droppedPacketCount == 0)
            #expect(writer.duration == .milliseconds(2980))  // the last audio packet starts 2.98 s in
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
            #expect(writer.bytesWritten == Int64(size ?? -1))

            let probe = try FFTools.probe(path, countFrames: true)
            #expect(probe.format.format_name == "matroska,webm")
            #expect(probe.streams.count == 2)
            #expect(probe.streams(ofType: "video").map(\.codec_name) == ["vp8"])
            #expect(probe.streams(ofType: "audio").map(\.codec_name) == ["opus"])
            #expect(probe.streams(ofType: "video").first?.nb_read_frames == "90")
            // Both streams start at 0 (the audio block sits CodecDelay later, as Matroska wants).
            #expect(try FFTools.packets(path, streamType: "v").first?.seconds == 0)
            #expect(try FFTools.packets(path, streamType: "a").first?.seconds == 0)
            let duration = try #require(probe.durationSeconds)
            #expect(abs(duration - 3) <= 0.15, "ffprobe duration \(duration) s")
            // The EBML header's DocType (0x4282) says webm, not matroska.
            let head = try #require(FileHandle(forReadingAtPath: path)).readData(ofLength: 64)
            #expect(head.range(of: Data([0x42, 0x82, 0x84]) + Data("webm".utf8)) != nil)
            try Self.expectDecodesCleanly(path)
        }
    }

    /// SIGKILL keeps what reached the kernel and loses what sat in the process, which is
    /// exactly what a copy of the file taken while the writer is still open holds.
    @Test func fileOfAnUnfinishedWriterIsPlayableUpToItsLastSecond() throws {
        let clip = try SyntheticClip(seconds: 3)
        try Self.withTemporaryFile { path in
            let writer = try WebMWriter(path: path, video: (SyntheticClip.width, SyntheticClip.height), audio: true)
            #expect(writer.bytesWritten > 0)  // the header is on disk from the start
            try Self.write(clip.packets, to: writer)
            let copy = path + ".killed.webm"
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            let size = try FileManager.default.attributesOfItem(atPath: copy)[.size] as? Int
            #expect(writer.bytesWritten == Int64(size ?? -1))

            let probe = try FFTools.probe(copy, countFrames: true)
            #expect(probe.format.format_name == "matroska,webm")
            #expect(probe.streams(ofType: "video").map(\.codec_name) == ["vp8"])
            #expect(probe.streams(ofType: "audio").map(\.codec_name) == ["opus"])
            let frames = Int(probe.streams(ofType: "video").first?.nb_read_frames ?? "") ?? 0
            #expect(frames >= 60, "decoded \(frames) frames of 90")
            let lastVideo = try FFTools.packets(copy, streamType: "v").map(\.seconds).max() ?? 0
            let lastAudio = try FFTools.packets(copy, streamType: "a").map(\.seconds).max() ?? 0
            #expect(lastVideo >= 2, "video reaches \(lastVideo) s")
            #expect(lastAudio >= 2, "audio reaches \(lastAudio) s")
            try Self.expectDecodesCleanly(copy)
        }
    }

    @Test func fileStartsOnTheFirstKeyframeWithAudioInSync() throws {
        // Frame 0 is the encoder's own keyframe; the writer first sees frames 1 to 9 (delta
        // frames) and the audio around them, then the keyframe forced at frame 10.
        let clip = try SyntheticClip(seconds: 2, forcedKeyframes: [10])
        let keyframe = try #require(clip.video.first { $0.index == 10 })
        #expect(keyframe.kind == .video(isKeyframe: true))
        let fed = clip.packets.filter { !($0.kind == .video(isKeyframe: true) && $0.index == 0) }
        #expect(fed.first { $0.kind != .audio }?.kind == .video(isKeyframe: false))
        try Self.withTemporaryFile { path in
            let writer = try WebMWriter(path: path, video: (SyntheticClip.width, SyntheticClip.height), audio: true)
            try Self.write(fed, to: writer)
            try writer.finish()

            let earlyAudio = clip.audio.filter { $0.timestamp < keyframe.timestamp }.count
            #expect(writer.videoPacketCount == 60 - 10)
            #expect(writer.audioPacketCount == 100 - earlyAudio)
            #expect(writer.droppedPacketCount == 9 + earlyAudio)

            let video = try FFTools.packets(path, streamType: "v")
            #expect(video.first?.flags.hasPrefix("K") == true, "first video packet flags \(video.first?.flags ?? "none")")
            #expect(video.first?.seconds == 0)
            #expect(video.count == 50)
            let audio = try FFTools.packets(path, streamType: "a")
            let firstAudio = try #require(audio.first?.seconds)
            // The first audio packet after the keyframe: 340 ms − 333.3 ms, on the millisecond.
            #expect(firstAudio == 0.007, "audio starts at \(firstAudio) s")
            try Self.expectDecodesCleanly(path)
        }
    }

    @Test func audioOnlyRecordingStartsAtItsFirstPacket() throws {
        let clip = try SyntheticClip(seconds: 1)
        try Self.withTemporaryFile { path in
            let writer = try WebMWriter(path: path, video: nil, audio: true)
            try Self.write(clip.audio, to: writer)
            #expect(throws: RecordingError.self) { try writer.writeVideo([1, 2, 3], isKeyframe: true, timestamp: .seconds(8)) }
            try writer.finish()
            #expect(writer.audioPacketCount == 50)
            #expect(writer.duration == .milliseconds(980))

            let probe = try FFTools.probe(path)
            #expect(probe.streams.map(\.codec_name) == ["opus"])
            // Demuxed audio timestamps are the room timestamps (block − CodecDelay), not 7 ms early.
            let audio = try FFTools.packets(path, streamType: "a")
            #expect(audio.prefix(3).map(\.seconds) == [0, 0.02, 0.04])
            try Self.expectDecodesCleanly(path)
        }
    }

    @Test func pathInAMissingDirectoryThrowsOpenError() {
        let path = NSTemporaryDirectory() + "tessera-missing-" + UUID().uuidString + "/recording.webm"
        #expect {
            _ = try WebMWriter(path: path, video: (320, 240), audio: true)
        } throws: { error in
            guard let error = error as? RecordingError else { return false }
            return error.kind == .open && error.code != nil && error.message.contains("No such file or directory")
                && error.message.contains(path)
        }
    }

    @Test func fullDiskThrowsWriteErrorWithTheLibavReason() throws {
        // /dev/full accepts the open and fails every write with ENOSPC.
        let clip = try SyntheticClip(seconds: 1)
        var caught: RecordingError?
        do {
            let writer = try WebMWriter(path: "/dev/full", video: (SyntheticClip.width, SyntheticClip.height), audio: true)
            try Self.write(clip.packets, to: writer)
            try writer.finish()
        } catch let error as RecordingError {
            caught = error
        }
        let error = try #require(caught)
        #expect(error.kind == .write)
        #expect(error.code == -ENOSPC)
        #expect(error.message.contains("No space left on device"), "\(error)")
    }

    @Test func writesAfterFinishThrowAndFinishIsIdempotent() throws {
        let clip = try SyntheticClip(seconds: 1)
        try Self.withTemporaryFile { path in
            let writer = try WebMWriter(path: path, video: (SyntheticClip.width, SyntheticClip.height), audio: false)
            try Self.write(clip.video, to: writer)
            try writer.finish()
            try writer.finish()
            #expect(writer.isFinished)
            #expect(throws: RecordingError(.badInput, "\(path): written after finish()")) {
                try writer.writeVideo(clip.video[1].bytes, isKeyframe: false, timestamp: .seconds(100))
            }
            #expect(try FFTools.probe(path).streams.map(\.codec_name) == ["vp8"])
        }
    }

    @Test func recordingWithoutStreamsOrWithABadSizeIsRefused() {
        #expect(throws: RecordingError.self) { try WebMWriter(path: "/tmp/unused.webm", video: nil, audio: false) }
        #expect(throws: RecordingError.self) { try WebMWriter(path: "/tmp/unused.webm", video: (0, 240), audio: true) }
    }
}
