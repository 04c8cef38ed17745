import Testing
@testable import TesseraAPI

@Suite struct RoomRoutesTests {
    @Test func roomLifecycleUsesTheDocumentedFields() async throws {
        let server = try await TestServer.make()
        try await server.run { client in
            let created = try await client.call(.post, "/v1/rooms", body: #"{"name": "standup"}"#)
            #expect(created.status == .created)
            #expect(created.keys() == ["id", "name", "layout", "access", "maxParticipants", "autoRecord", "video", "createdAt"].sorted())
            #expect(created.json?["layout"] == "grid")
            #expect(created.json?["access"] == "token")
            #expect(created.json?["maxParticipants"] == 16)
            #expect(created.json?["autoRecord"] == false)
            #expect(created.json?["video"] == .object([("width", 1280), ("height", 720), ("fps", 30), ("bitrateKbps", 1500)]))
            let id = try #require(created.json?["id"]?.string)

            let list = try await client.call(.get, "/v1/rooms")
            #expect(list.json?["rooms"] == .array([try #require(created.json)]))

            let detail = try await client.call(.get, "/v1/rooms/\(id)")
            #expect(detail.status == .ok)
            #expect(detail.json?["participants"] == .array([]))
            #expect(detail.json?["meetingId"] == .null)
            #expect(detail.json?["recording"] == .null)

            let patched = try await client.call(
                .patch, "/v1/rooms/\(id)", body: #"{"layout": "speaker", "video": {"fps": 15}, "maxParticipants": 4}"#)
            #expect(patched.status == .ok)
            #expect(patched.json?["layout"] == "speaker")
            #expect(patched.json?["maxParticipants"] == 4)
            #expect(patched.json?["video"] == .object([("width", 1280), ("height", 720), ("fps", 15), ("bitrateKbps", 1500)]))
            #expect(try await client.call(.get, "/v1/rooms/\(id)").json?["layout"] == "speaker")

            #expect(try await client.call(.delete, "/v1/rooms/\(id)").status == .noContent)
            #expect(try await client.call(.get, "/v1/rooms/\(id)").errorCode == "not_found")
            #expect(try await client.call(.get, "/v1/rooms").json?["rooms"] == .array([]))
        }
    }

    @Test func everyFieldGivenIsKept() async throws {
        let server = try await TestServer.make()
        try await server.run { client in
            let body = #"""
                {"name": "all", "layout": "speaker", "access": "open", "maxParticipants": 64, "autoRecord": true,
                 "video": {"width": 640, "height": 360, "fps": 15, "bitrateKbps": 600}}
                """#
            let created = try await client.call(.post, "/v1/rooms", body: body)
            #expect(created.status == .created)
            #expect(created.json?["access"] == "open")
            #expect(created.json?["autoRecord"] == true)
            #expect(created.json?["video"] == .object([("width", 640), ("height", 360), ("fps", 15), ("bitrateKbps", 600)]))
        }
    }
}
