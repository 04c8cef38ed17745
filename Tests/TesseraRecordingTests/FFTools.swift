import Foundation

/// Runs Debian's `ffprobe` and `ffmpeg` (package `ffmpeg`, installed by `make test-deps`)
/// as the independent judge of what `WebMWriter` wrote. A missing tool is a failure, never a skip.
enum FFTools {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The stream and format summary of `ffprobe -show_entries`.
    struct Probe: Decodable {
        struct Format: Decodable {
            let format_name: String
            let duration: String?
        }
        struct Stream: Decodable {
            let codec_name: String
            let codec_type: String
            let nb_read_frames: String?
        }
        let format: Format
        let streams: [Stream]

        var durationSeconds: Double? { format.duration.flatMap(Double.init) }
        func streams(ofType type: String) -> [Stream] { streams.filter { $0.codec_type == type } }
    }

    struct Packet: Decodable {
        let pts_time: String
        let flags: String
        var seconds: Double { Double(pts_time) ?? .nan }
    }

    static func probe(_ path: String, countFrames: Bool = false) throws -> Probe {
        let frames = countFrames ? ["-count_frames"] : []
        let output = try run("ffprobe", ["-v", "error"] + frames + [
            "-show_entries", "format=format_name,duration:stream=codec_name,codec_type,nb_read_frames",
            "-of", "json", path,
        ])
        guard output.status == 0 else { throw Failure(description: "ffprobe \(path) exited \(output.status): \(output.stderr)") }
        return try JSONDecoder().decode(Probe.self, from: Data(output.stdout.utf8))
    }

    /// The packets of the first stream of `type` ("v" or "a"), in file order.
    static func packets(_ path: String, streamType: String) throws -> [Packet] {
        struct Packets: Decodable { let packets: [Packet] }
        let output = try run("ffprobe", [
            "-v", "error", "-select_streams", streamType, "-show_entries", "packet=pts_time,flags", "-of", "json", path,
        ])
        guard output.status == 0 else { throw Failure(description: "ffprobe packets \(path) exited \(output.status): \(output.stderr)") }
        return try JSONDecoder().decode(Packets.self, from: Data(output.stdout.utf8)).packets
    }

    /// Decodes every stream with `ffmpeg -v error -i path -f null -`.
    static func decode(_ path: String) throws -> Output {
        try run("ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-f", "null", "-"])
    }

    static func locate(_ tool: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"] {
            let candidate = directory + "/" + tool
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw Failure(description: "\(tool) not found: the recording tests need Debian's ffmpeg package (apt-get install ffmpeg, or make test-deps)")
    }

    /// Runs `tool` with its output in temporary files, so a large output cannot block on a full pipe.
    static func run(_ tool: String, _ arguments: [String]) throws -> Output {
        let executable = try locate(tool)
        let base = NSTemporaryDirectory() + "tessera-fftools-" + UUID().uuidString
        _ = FileManager.default.createFile(atPath: base + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: base + ".err", contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: base + ".out")
            try? FileManager.default.removeItem(atPath: base + ".err")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".out"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".err"))
        try process.run()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? "")
    }
}
