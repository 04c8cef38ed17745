import Foundation
import TesseraRecording

/// The benchmark's participants: each one's encoded VP8 and Opus packets, read once from
/// the cached input files (`Benchmarks/inputs.py` makes them: p0.webm, p1.webm, …).
/// Participant `i` sends file `i % files`; a run longer than the files loops them (each
/// file starts on a keyframe, so a decoder goes on across the loop).
struct BenchInputs {
    struct Participant {
        let video: [WebMReader.Packet]
        let audio: [WebMReader.Packet]
        /// The file's length: packets repeat after it.
        let period: Duration
    }

    let participants: [Participant]

    /// Every file once (participant `i` of the load client sends file `i % files`).
    init(directory: String) throws {
        try self.init(directory: directory, count: try Self.files(in: directory).count)
    }

    init(directory: String, count: Int) throws {
        let files = try Self.files(in: directory)
        var loaded: [Participant] = []
        for index in 0..<count {
            let packets = try WebMReader.packets(of: directory + "/" + files[index % files.count])
            let video = packets.filter { $0.kind == .video }
            let audio = packets.filter { $0.kind == .audio }
            guard let lastVideo = video.last, video.first?.isKeyframe == true, !audio.isEmpty else {
                throw BenchError("\(files[index % files.count]): needs VP8 starting on a keyframe, and Opus")
            }
            loaded.append(Participant(video: video, audio: audio, period: lastVideo.time + .seconds(1) / 30))
        }
        participants = loaded
    }

    /// The input files' names in `directory`, p0.webm first.
    private static func files(in directory: String) throws -> [String] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasPrefix("p") && $0.hasSuffix(".webm") }.sorted { $0.localizedStandardCompare($1) == .orderedAscending }
        guard !files.isEmpty else { throw BenchError("no p*.webm inputs in \(directory): run Benchmarks/inputs.py first") }
        return files
    }
}

/// Walks one participant's packets of one kind in time order, looping the file.
struct PacketCursor {
    private let packets: [WebMReader.Packet]
    private let period: Duration
    private var index = 0
    private var loop: Int64 = 0

    init(_ packets: [WebMReader.Packet], period: Duration) {
        self.packets = packets
        self.period = period
    }

    /// The media time (looped) of the packet `next` returns next.
    var nextTime: Duration { packets[index].time + period * loop }

    /// The next packet if it is due by `time` (its media time, looped), else nil.
    mutating func next(dueBy time: Duration) -> (packet: WebMReader.Packet, time: Duration)? {
        let packet = packets[index]
        let at = nextTime
        guard at <= time else { return nil }
        index += 1
        if index == packets.count {
            index = 0
            loop += 1
        }
        return (packet, at)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
