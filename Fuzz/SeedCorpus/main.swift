import Foundation
import TesseraWire

// Writes the generated seed inputs to Fuzz/corpus/<target>/ (the directory given as the only
// argument). Every seed is run through its target's check first and must be accepted, so the
// corpus keeps reaching past the parsers' first checks. Files named regression-* are inputs
// that once crashed; they are kept by hand and never written here.

guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: seed-corpus <Fuzz/corpus directory>\n".utf8))
    exit(2)
}
let corpus = URL(fileURLWithPath: CommandLine.arguments[1], isDirectory: true)

let seeds: [(FuzzChecks.Target, [Seed])] = [
    (.rtp, RTPSeeds.all), (.rtcp, RTCPSeeds.all), (.stun, STUNSeeds.all),
    (.sdp, SDPSeeds.all), (.vp8, VP8Seeds.all), (.h264, H264Seeds.all),
]
var failed = false
for (target, list) in seeds {
    let directory = corpus.appendingPathComponent(target.rawValue, isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    for seed in list {
        guard target.check(seed.bytes) else {
            print("seed \(target.rawValue)/\(seed.name) is refused by its parser")
            failed = true
            continue
        }
        try Data(seed.bytes).write(to: directory.appendingPathComponent(seed.name))
    }
    print("\(target.rawValue): \(list.count) seeds")
}
exit(failed ? 1 : 0)
