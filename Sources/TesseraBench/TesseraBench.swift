import ArgumentParser
import Foundation
import TesseraMixer

/// `tessera-bench floor|mixer|transport`: the in-process parts of `make bench` (issue 7). Each run
/// prints one JSON object; `tessera-bench load` is the capacity benchmark's load client; `Benchmarks/bench.py` runs them next to the real server and
/// the ffmpeg and GStreamer peers and writes docs/benchmarks.md.
@main
struct TesseraBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tessera-bench", abstract: "Measure a room's codec floor, Tessera's mixer core and one peer's packet path.",
        subcommands: [Floor.self, Mixer.self, Transport.self, Load.self])

    struct Room: ParsableArguments {
        @Option(help: "Directory with the cached p0.webm, p1.webm, … inputs.") var inputs: String
        @Option(help: "Participants in the room.") var n: Int = 4
        @Option(help: "Mixed video width.") var width: Int = 1280
        @Option(help: "Mixed video height.") var height: Int = 720
        @Option(help: "Mixed video frame rate.") var fps: Int = 30
        @Option(help: "Mixed video bitrate, kbit/s.") var bitrateKbps: Int = 1500
        @Option(help: "VP8 speed level (a fixed speed, cpu-used = -level).") var speed: Int = MixerSettings.defaultEncoderSpeed
        @Option(help: "Seconds of room time per run.") var seconds: Int = 20
        @Option(help: "Runs (the median is reported).") var runs: Int = 3

        func validate() throws {
            guard (1...16).contains(n) else { throw ValidationError("--n must be 1...16") }
            let speeds = MixerSettings.encoderSpeeds
            guard speeds.contains(speed) else { throw ValidationError("--speed must be \(speeds.lowerBound)...\(speeds.upperBound)") }
            guard seconds > 2, runs > 0 else { throw ValidationError("--seconds must be over 2 and --runs positive") }
        }

        var settings: MixerSettings {
            MixerSettings(width: width, height: height, fps: fps, bitrateKbps: bitrateKbps, encoderSpeed: speed)
        }

        var fields: [(String, Any)] {
            [("n", n), ("width", width), ("height", height), ("fps", fps), ("bitrateKbps", bitrateKbps), ("speed", speed),
             ("seconds", seconds)]
        }
    }

    struct Floor: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The bare codec work of a room (the floor).")
        @OptionGroup var room: Room
        @Flag(help: "Measure the encode's quality instead of its CPU: one run, libvpx's PSNR of the encoded composite.")
        var quality = false
        @Option(help: "Encode at this libvpx cpu-used instead of the room's speed (a comparison with the peers' setting).")
        var cpuUsed: Int?
        @Flag(help: "Run each tick at its room time, as a live room does, instead of as fast as the CPU allows.")
        var paced = false

        func validate() throws {
            if quality && paced { throw ValidationError("--quality measures the picture in one flat-out run; drop --paced") }
        }

        func run() throws {
            let inputs = try BenchInputs(directory: room.inputs, count: room.n)
            if quality { return try measureQuality(inputs) }
            var cores: [Double] = []
            var frames = 0
            var encodedAt = 0
            for _ in 0..<room.runs {
                let floor = try FloorRoom(settings: room.settings, inputs: inputs, cpuUsed: cpuUsed)
                let before = Measurement.now()
                try floor.run(for: .seconds(room.seconds), paced: paced)
                let after = Measurement.now()
                cores.append((after.cpuSeconds - before.cpuSeconds) / Double(room.seconds))
                frames = floor.framesEncoded
                encodedAt = floor.cpuUsed
            }
            report(
                ["mode": "floor", "coresRuns": cores, "coresMedian": median(cores), "framesEncoded": frames,
                 "cpuUsed": encodedAt, "paced": paced], room.fields)
        }

        private func measureQuality(_ inputs: BenchInputs) throws {
            let floor = try FloorRoom(settings: room.settings, inputs: inputs, measuresQuality: true, cpuUsed: cpuUsed)
            try floor.run(for: .seconds(room.seconds))
            guard let psnr = floor.quality.psnr else { throw BenchError("the encoder measured no frame") }
            report(
                ["mode": "quality", "psnr": psnr, "framesEncoded": floor.framesEncoded,
                 "cpuUsed": floor.cpuUsed,
                 "kbps": Double(floor.bytesEncoded) * 8 / 1000 / Double(room.seconds)], room.fields)
        }
    }

    struct Mixer: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Tessera's room mixer core, in-process under a manual clock.")
        @OptionGroup var room: Room
        @Option(help: "Seconds before the steady state is measured (allocations, latency).") var warmup: Int = 2

        func run() throws {
            guard Measurement.countsAllocations() else { throw BenchError("the allocation counter sees no allocations") }
            let inputs = try BenchInputs(directory: room.inputs, count: room.n)
            var cores: [Double] = []
            var last: (run: MixerCoreRun, residentBytes: Int)?
            for _ in 0..<room.runs {
                let resident = Measurement.residentBytes()
                let mixer = try MixerCoreRun(settings: room.settings, inputs: inputs)
                let before = Measurement.now()
                mixer.run(for: .seconds(room.seconds), warmup: .seconds(warmup))
                let after = Measurement.now()
                cores.append((after.cpuSeconds - before.cpuSeconds) / Double(room.seconds))
                last = (mixer, Measurement.residentBytes() - resident)
            }
            guard let (run, resident) = last else { return }
            let video = run.video.latencies.sorted()
            let audio = run.audio.latencies.sorted()
            report(
                [
                    "mode": "mixer", "coresRuns": cores, "coresMedian": median(cores), "framesEncoded": run.framesEncoded,
                    "allocationsPerVideoTick": run.video.allocationsPerTick,
                    "allocationsPerAudioTick": run.audio.allocationsPerTick,
                    "optimized": isOptimized,
                    "residentBytesPerRoom": resident,
                    "videoLatency": ["p50": percentile(video, 0.5) ?? -1, "p95": percentile(video, 0.95) ?? -1, "p99": percentile(video, 0.99) ?? -1],
                    "audioLatency": ["p50": percentile(audio, 0.5) ?? -1, "p95": percentile(audio, 0.95) ?? -1, "p99": percentile(audio, 0.99) ?? -1],
                ], room.fields)
        }
    }

    struct Transport: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One peer's packet path (SRTP, reorder, depacketize; packetize, NACK history, SRTP), in-process.")
        @Option(help: "Directory with the cached p0.webm, p1.webm, … inputs.") var inputs: String
        @Option(help: "Seconds of media time.") var seconds: Int = 20
        @Option(help: "Seconds before packets are measured.") var warmup: Int = 2

        func validate() throws {
            guard seconds > warmup, warmup >= 0 else { throw ValidationError("--seconds must be over --warmup") }
        }

        func run() throws {
            guard Measurement.countsAllocations() else { throw BenchError("the allocation counter sees no allocations") }
            let inputs = try BenchInputs(directory: inputs, count: 1)
            let transport = try TransportRun(inputs: inputs.participants[0])
            try transport.run(for: .seconds(seconds), warmup: .seconds(warmup))
            report(
                ["mode": "transport", "optimized": isOptimized, "framesIn": transport.framesIn,
                 "inbound": transport.inbound.fields, "outbound": transport.outbound.fields],
                [("seconds", seconds), ("warmup", warmup)])
        }
    }
}

/// Allocations are a release build's: unoptimized, generic code is not specialized and
/// allocates where the optimized build does not.
#if DEBUG
private let isOptimized = false
#else
private let isOptimized = true
#endif

private func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// Prints one JSON object: the measurement and the room it was measured on.
private func report(_ values: [String: Any], _ fields: [(String, Any)]) {
    var object = values
    for (key, value) in fields { object[key] = value }
    guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
    print(String(decoding: data, as: UTF8.self))
}
