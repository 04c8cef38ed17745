import Foundation
import Testing
import TesseraWire

/// Replays `Fuzz/corpus/<target>/` through the checks the libFuzzer targets run
/// (`FuzzChecks`), so the seeds and every input that once crashed a fuzzer are exercised by
/// the normal test run. A broken property stops the process with a `FuzzChecks:` message.
@Suite struct FuzzCorpusReplayTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // TesseraWireTests
        .deletingLastPathComponent() // Tests
        .deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus", isDirectory: true)

    @Test(arguments: FuzzChecks.Target.allCases)
    func replayCorpus(_ target: FuzzChecks.Target) throws {
        let directory = Self.corpus.appendingPathComponent(target.rawValue, isDirectory: true)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { !$0.hasPrefix(".") }
            .sorted()
        #expect(!names.isEmpty, "no corpus in \(directory.path)")
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
            let accepted = target.check(bytes)
            // Seeds must get past the parser; regression-* inputs once crashed and may be refused.
            #expect(accepted || name.hasPrefix("regression-"), "\(target.rawValue)/\(name) is refused by its parser")
        }
    }
}
