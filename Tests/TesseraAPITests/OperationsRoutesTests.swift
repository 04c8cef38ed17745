import Foundation
import HTTPTypes
import Hummingbird
import Testing
import TesseraStore
@testable import TesseraAPI

@Suite struct OperationsRoutesTests {
    @Test func healthReadinessAndMetricsNeedNoKey() async throws {
        let server = try await TestServer.make()
        try await server.run { client in
            #expect(try await client.call(.get, "/healthz", key: nil).status == .ok)
            let ready = try await client.call(.get, "/readyz", key: nil)
            #expect(ready.status == .ok)
            #expect(ready.json?["status"] == "ready")
            _ = try await client.call(.post, "/v1/rooms", body: #"{"name": "a"}"#)
            _ = try await client.call(.get, "/v1/rooms", key: "bad-key-bad-key-bad")
            let metrics = try await client.call(.get, "/metrics", key: nil)
            #expect(metrics.status == .ok)
            #expect(metrics.text.contains("tessera_rooms 1"))
            #expect(metrics.text.contains("tessera_auth_failures_total 1"))
            #expect(metrics.text.contains("tessera_participants 0"))
        }
    }

    /// Each refused WHIP/WHEP request counts once in tessera_auth_failures_total: no token
    /// and a bad token (401, counted where every error is), a token for another room (403).
    @Test func eachRefusedMediaRequestCountsOneAuthFailure() async throws {
        try await SessionURLTests.withMediaServer { client in
            let first = try #require(try await client.call(.post, "/v1/rooms", body: #"{"name": "a"}"#).json?["id"]?.string)
            let second = try #require(try await client.call(.post, "/v1/rooms", body: #"{"name": "b"}"#).json?["id"]?.string)
            let otherRoomsToken = try await SessionURLTests.token(client, room: second, name: "B")
            let attempts: [(token: String?, path: String, status: HTTPResponse.Status)] = [
                (nil, "whip", .unauthorized), ("not-a-token", "whip", .unauthorized),
                (otherRoomsToken, "whip", .forbidden), ("not-a-token", "whep", .unauthorized),
            ]
            for (count, attempt) in attempts.enumerated() {
                var headers: HTTPFields = [.contentType: "application/sdp"]
                if let token = attempt.token { headers[.authorization] = "Bearer \(token)" }
                let status = try await client.execute(
                    uri: "/v1/rooms/\(first)/\(attempt.path)", method: .post, headers: headers,
                    body: ByteBuffer(string: SessionURLTests.offer)
                ) { $0.status }
                #expect(status == attempt.status)
                let metrics = try await client.call(.get, "/metrics", key: nil)
                #expect(metrics.text.contains("tessera_auth_failures_total \(count + 1)\n"), "after \(attempt)")
            }
        }
    }

    @Test func meetingsAndRecordingsAreListedFromTheStore() async throws {
        let server = try await TestServer.make()
        let store = server.context.store
        try await server.run { client in
            let room = try store.createRoom(Room(name: "r"))
            let meeting = try store.recordJoin(roomId: room.id, participantId: "p1", userId: nil, displayName: "A", role: .publisher)
            try store.recordLeave(participantId: "p1", reason: .timeout)
            let recording = Recording(roomId: room.id, meetingId: meeting, status: .completed, durationMs: 1234, sizeBytes: 99)
            try store.insertRecording(recording)
            let file = server.directory + "/" + recording.filePath
            try FileManager.default.createDirectory(
                atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: file, contents: Data([1, 2, 3])))

            let meetings = try await client.call(.get, "/v1/meetings?room=\(room.id)")
            guard case .array(let list)? = meetings.json?["meetings"], let first = list.first else {
                Issue.record("no meetings"); return
            }
            #expect(first["id"]?.string == meeting)
            #expect(first["attendances"] == .array([
                .object([
                    ("participantId", "p1"), ("userId", .null), ("displayName", "A"),
                    ("joinedAt", try #require(first["attendances"].flatMap { if case .array(let a) = $0 { a.first?["joinedAt"] } else { nil } })),
                    ("leftAt", try #require(first["attendances"].flatMap { if case .array(let a) = $0 { a.first?["leftAt"] } else { nil } })),
                    ("leaveReason", "timeout"),
                ]),
            ]))
            #expect(try await client.call(.get, "/v1/meetings/\(meeting)").json?["endedAt"] != .null)
            #expect(try await client.call(.get, "/v1/meetings?room=other").json?["meetings"] == .array([]))

            let got = try await client.call(.get, "/v1/recordings/\(recording.id)")
            #expect(got.keys() == ["id", "roomId", "meetingId", "status", "startedAt", "endedAt", "durationMs", "sizeBytes", "format"].sorted())
            #expect(got.json?["format"] == "webm")
            #expect(got.json?["durationMs"] == 1234)
            #expect(try await client.call(.delete, "/v1/recordings/\(recording.id)").status == .noContent)
            #expect(!FileManager.default.fileExists(atPath: file))
            #expect(try await client.call(.get, "/v1/recordings?room=\(room.id)").json?["recordings"] == .array([]))
        }
    }

    @Test func runningRecordingCannotBeDeleted() async throws {
        let server = try await TestServer.make()
        let store = server.context.store
        try await server.run { client in
            let room = try store.createRoom(Room(name: "r"))
            let recording = Recording(roomId: room.id, meetingId: nil, status: .recording)
            try store.insertRecording(recording)
            #expect(try await client.call(.get, "/v1/rooms/\(room.id)").json?["recording"]?["id"]?.string == recording.id)
            let reply = try await client.call(.delete, "/v1/recordings/\(recording.id)")
            #expect(reply.status == .conflict)
            #expect(try store.recording(id: recording.id).status == .recording)
        }
    }
}
