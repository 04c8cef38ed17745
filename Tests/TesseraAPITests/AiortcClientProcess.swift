import Foundation
import Synchronization

/// The aiortc client subprocess: stdout and stderr collected as they come, stdin held
/// open until the test is done sending.
final class ClientProcess: @unchecked Sendable {
    private let process = Process()
    private let stdin = Pipe()
    private let stdout = Locked(Data())
    private let stderr = Locked(Data())

    init(python: String, arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-u"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONUNBUFFERED"] = "1"
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardInput = stdin
        process.standardOutput = out
        process.standardError = err
        try process.run()
        Self.collect(out.fileHandleForReading, into: stdout)
        Self.collect(err.fileHandleForReading, into: stderr)
    }

    private static func collect(_ handle: FileHandle, into buffer: Locked<Data>) {
        let box = UncheckedBox(handle: handle, buffer: buffer)
        DispatchQueue.global().async {
            while true {
                let chunk = box.handle.availableData
                if chunk.isEmpty { return }
                box.buffer.withLock { $0.append(chunk) }
            }
        }
    }

    private struct UncheckedBox: @unchecked Sendable {
        let handle: FileHandle
        let buffer: Locked<Data>
    }

    var isRunning: Bool { process.isRunning }
    var exitStatus: Int32 { process.isRunning ? -1 : process.terminationStatus }

    func stdoutText() -> String { stdout.withLock { String(decoding: $0, as: UTF8.self) } }

    func stderrTail(_ limit: Int = 6000) -> String {
        String(stderr.withLock { String(decoding: $0, as: UTF8.self) }.suffix(limit))
    }

    /// Complete stdout lines that are JSON objects, with their text.
    func jsonLinesWithText() -> [([String: Any], String)] {
        let text = stdoutText()
        guard let lastNewline = text.lastIndex(of: "\n") else { return [] }
        return text[..<lastNewline].split(separator: "\n").compactMap { line in
            guard line.hasPrefix("{"), let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            else { return nil }
            return (object, String(line))
        }
    }

    func jsonLines() -> [[String: Any]] { jsonLinesWithText().map(\.0) }

    func closeStdin() { try? stdin.fileHandleForWriting.close() }

    /// Ends the client if it still runs: SIGTERM, then SIGKILL after a second.
    func kill() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(1)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// A value shared with escaping closures.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    var value: Value { mutex.withLock { $0 } }
    func set(_ value: Value) { mutex.withLock { $0 = value } }
    func withLock<Result>(_ body: (inout Value) -> Result) -> Result { mutex.withLock { body(&$0) } }
}

struct E2EError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Deadlines for the end-to-end tests: nothing they wait for may hang the test run.
enum Deadline {
    /// Polls `probe` every 20 ms until it returns a value; throws after `limit`.
    static func waitFor<Value>(_ what: String, within limit: Duration, _ probe: () async throws -> Value?) async throws -> Value {
        let clock = ContinuousClock()
        let end = clock.now + limit
        while clock.now < end {
            if let value = try await probe() { return value }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw E2EError("timed out after \(limit) waiting for \(what)")
    }

    /// Runs `body`, throwing if it has not finished within `limit` (the body is cancelled).
    static func run<Value: Sendable>(
        _ limit: Duration, _ what: String, _ body: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw E2EError("\(what) did not finish within \(limit)")
            }
            return value
        }
    }
}
