import Foundation
import Logging
import ServiceLifecycle
import Testing
import TesseraMixer
import TesseraStore
import TesseraTransport
@testable import TesseraAPI

/// End to end, server to client: a real server in-process (HTTP, media port, supervisor,
/// room mixer) and an aiortc client joining over WHIP or WHEP as a subprocess. The room's
/// mixer is the only source: the client must decode its composite (the room's 320x240)
/// and its Opus mix for 3 s: at least 30 video frames and 50 audio frames. Midway the
/// client sends a PLI; the mixer must answer with a forced keyframe.
///
/// Needs `TESSERA_TEST_PYTHON`: a python with aiortc (`make test-deps` builds
/// `.venv-test`). Without it the tests fail, they do not skip.
@Suite(.serialized) struct MixedStreamTests {
    @Test func whipParticipantDecodesTheRoomsMix() async throws {
        try await MixedStream.run(mode: "whip")
    }

    @Test func whepViewerDecodesTheRoomsMix() async throws {
        try await MixedStream.run(mode: "whep")
    }
}

enum MixedStream {
    static let width = 320
    static let height = 240
    static let receiveFor: Duration = .seconds(3)
    /// The client asks for a keyframe (RTCP PLI) after this many decoded video frames.
    static let pliAfter = 30
    /// The whole scenario (server start to client result) must fit in this.
    static let deadline: Duration = .seconds(30)
    static let clientScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("acceptance/clients/receive_client.py").path

    static func run(mode: String) async throws {
        let python = try requirePython()
        let logger = makeLogger()
        let directory = NSTemporaryDirectory() + "tessera-e2e-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var settings = ServerSettings()
        settings.dataDirectory = directory
        settings.httpHost = "127.0.0.1"
        settings.httpPort = 0
        settings.mediaPort = 0
        settings.publicIP = "127.0.0.1"
        settings.adminKey = "e2e-admin-key-0123456789"
        let server = try await TesseraServer.prepare(settings: settings, logger: logger)
        let httpPort = Locked<Int?>(nil)
        let app = server.application { port in httpPort.set(port) }
        let group = ServiceGroup(configuration: .init(services: [app, server.mediaService], logger: logger))
        let running = Task { try await group.run() }
        let startedClient = Locked<ClientProcess?>(nil)
        var client: ClientProcess? { startedClient.value }
        func stop() async {
            client?.kill()
            await group.triggerGracefulShutdown()
            _ = try? await running.value
        }
        do {
            let result = try await Deadline.run(deadline, "the \(mode) scenario") {
                let port = try await Deadline.waitFor("the HTTP server to listen", within: .seconds(10)) { httpPort.value }
                let room = try server.context.store.createRoom(
                    Room(name: "e2e \(mode)", access: .open, video: VideoSettings(width: width, height: height, fps: 30, bitrateKbps: 500)))
                let started = try ClientProcess(
                    python: python,
                    arguments: [
                        clientScript, "--server", "http://127.0.0.1:\(port)", "--room", room.id, "--mode", mode,
                        "--name", "e2e-\(mode)", "--pli-after", "\(pliAfter)",
                    ])
                startedClient.set(started)
                return try await exchange(server: server, roomId: room.id, client: started)
            }
            let video = result.int("videoFramesDecoded")
            let audio = result.int("audioFramesDecoded")
            let size = result.string("firstVideoFrameSize")
            let mixer = result.mixer.counters
            print(
                "MixedStreamTests \(mode): client decoded \(video) video frames (first \(size ?? "none")), \(audio) audio frames; "
                    + "mixer \(mixer); PLI/FIR in: \(result.keyframeRequestsIn); client result: \(result.line)")
            let stderr = client?.stderrTail() ?? ""
            #expect(video >= 30, "decoded \(video) video frames; client: \(result.line)\nclient stderr:\n\(stderr)")
            #expect(size == "\(width)x\(height)", "first decoded video frame is \(size ?? "none"); client: \(result.line)")
            #expect(audio >= 50, "decoded \(audio) audio frames; client: \(result.line)\nclient stderr:\n\(stderr)")
            #expect(result.object["deleteStatus"] as? Int == 200, "client: \(result.line)")
            // The PLI reached the server and the mixer forced a keyframe for it (after the
            // one for the connection).
            #expect(result.int("plisSent") == 1, "client: \(result.line)")
            #expect(result.keyframeRequestsIn >= 1 && mixer.keyframesForced >= 2, "mixer: \(mixer)")
            #expect(mixer.videoFramesEncoded >= 80, "the composite is encoded at the room's 30 fps: \(mixer)")
        } catch {
            await stop()
            let stderr = client?.stderrTail() ?? "(client not started)"
            print("MixedStreamTests \(mode) failed: \(error)\nclient stdout:\n\(client?.stdoutText() ?? "")\nclient stderr:\n\(stderr)")
            throw E2EError("\(error)\nclient stderr:\n\(stderr)")
        }
        await stop()
    }

    /// Waits for the client's connection, lets it receive the mix for 3 s (real media over
    /// real sockets: there is no clock to drive), closes its stdin (it then reports what it
    /// decoded) and returns its final JSON with the room's mixer counters.
    static func exchange(server: TesseraServer, roomId: String, client: ClientProcess) async throws -> ClientResult {
        _ = try await Deadline.waitFor("the client to connect", within: .seconds(20)) { () -> [String: Any]? in
            if let event = client.jsonLines().first(where: { $0["event"] as? String == "connected" }) { return event }
            if let final = client.jsonLines().first(where: { $0["status"] != nil }) {
                throw E2EError("the client ended without connecting: \(final)")
            }
            if !client.isRunning { throw E2EError("the client exited (\(client.exitStatus)) without connecting") }
            return nil
        }
        let media = try #require(server.context.media)
        try await Task.sleep(for: receiveFor)
        let statistics = try #require(await media.rooms.statistics(roomId: roomId), "the room's mixer is not running")
        let keyframeRequestsIn = await media.port.counters().keyframeRequestsIn
        client.closeStdin()
        let final = try await Deadline.waitFor("the client's result", within: .seconds(10)) { () -> ([String: Any], String)? in
            if let pair = client.jsonLinesWithText().last(where: { $0.0["status"] != nil }) { return pair }
            if !client.isRunning, client.jsonLinesWithText().last(where: { $0.0["status"] != nil }) == nil {
                throw E2EError("the client exited (\(client.exitStatus)) without a result")
            }
            return nil
        }
        return ClientResult(object: final.0, line: final.1, mixer: statistics, keyframeRequestsIn: keyframeRequestsIn)
    }

    /// The python of `TESSERA_TEST_PYTHON`, after checking it imports aiortc and av.
    static func requirePython() throws -> String {
        guard let python = ProcessInfo.processInfo.environment["TESSERA_TEST_PYTHON"], !python.isEmpty else {
            throw E2EError(
                "TESSERA_TEST_PYTHON is not set. This end-to-end test runs an aiortc client: set it to a python with "
                    + "Tests/acceptance/requirements.txt installed, e.g. `make test-deps` then "
                    + "`TESSERA_TEST_PYTHON=$PWD/.venv-test/bin/python swift test` (make test sets it).")
        }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: python)
        check.arguments = ["-c", "import aiortc, av; print(aiortc.__version__)"]
        let output = Pipe()
        check.standardOutput = output
        check.standardError = output
        do {
            try check.run()
        } catch {
            throw E2EError("TESSERA_TEST_PYTHON=\(python) cannot be run: \(error)")
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        guard check.terminationStatus == 0 else {
            throw E2EError(
                "TESSERA_TEST_PYTHON=\(python) cannot import aiortc/av (install Tests/acceptance/requirements.txt into it):\n\(text)")
        }
        return python
    }

    /// Server logs on stderr at TESSERA_LOG_LEVEL (default: errors only).
    static func makeLogger() -> Logger {
        var logger = Logger(label: "tessera-e2e") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = ProcessInfo.processInfo.environment["TESSERA_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        return logger
    }
}

/// The client's final JSON line, and what the server's mixer and port counted.
struct ClientResult: @unchecked Sendable {
    let object: [String: Any]
    let line: String
    let mixer: RoomStatistics
    let keyframeRequestsIn: Int

    func int(_ key: String) -> Int { object[key] as? Int ?? 0 }
    func string(_ key: String) -> String? { object[key] as? String }
}
