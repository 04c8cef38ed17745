import Foundation
import Testing
import TesseraRecording

/// `WebMReader` gives back exactly the packets `WebMWriter` stored (the benchmark reads its
/// cached inputs with it).
@Suite struct WebMReaderTests {
    @Test func readsBackEveryPacketWithItsKindTimeAndKeyframeFlag() throws {
        let clip = try SyntheticClip(seconds: 2)
        let path = NSTemporaryDirectory() + "tessera-reader-" + UUID().uuidString + ".webm"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try WebMWriter(path: path, video: (SyntheticClip.width, SyntheticClip.height), audio: true)
        for packet in clip.packets {
            switch packet.kind {
            case .video(let isKeyframe): try writer.writeVideo(packet.bytes, isKeyframe: isKeyframe, timestamp: packet.timestamp)
            case .audio: try writer.writeAudio(packet.bytes, timestamp: packet.timestamp)
            }
        }
        try writer.finish()

        let packets = try WebMReader.packets(of: path)
        let video = packets.filter { $0.kind == .video }
        let audio = packets.filter { $0.kind == .audio }
        let sentVideo = clip.packets.filter { if case .video = $0.kind { true } else { false } }
        #expect(video.map(\.data) == sentVideo.map(\.bytes))
        #expect(video.map(\.isKeyframe) == sentVideo.map { if case .video(let key) = $0.kind { key } else { false } })
        // The file starts at 0 and keeps milliseconds.
        let start = try #require(sentVideo.first).timestamp
        let expected = sentVideo.map { (($0.timestamp - start) / .milliseconds(1)).rounded() }
        #expect(video.map { $0.time / .milliseconds(1) } == expected)
        #expect(audio.count == 100 && audio.allSatisfy { !$0.data.isEmpty })
    }

    @Test func aFileThatIsNotAContainerIsRefusedWithItsPath() throws {
        let path = NSTemporaryDirectory() + "tessera-reader-" + UUID().uuidString + ".webm"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("not a webm file".utf8).write(to: URL(fileURLWithPath: path))
        #expect {
            try WebMReader.packets(of: path)
        } throws: { error in
            (error as? RecordingError)?.kind == .open && "\(error)".contains(path)
        }
    }
}
