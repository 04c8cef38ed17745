import HTTPTypes
import Testing
@testable import TesseraAPI

/// Bad input gets the documented status and JSON error, and the database stays as it was.
@Suite struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let method: HTTPRequest.Method
        let path: String
        let body: String?
        let contentType: String?
        let status: HTTPResponse.Status
        let code: String
        var testDescription: String { "\(method) \(path) \(body?.prefix(40) ?? "") → \(status.code)" }

        init(
            _ method: HTTPRequest.Method, _ path: String, _ body: String?, _ status: HTTPResponse.Status, _ code: String,
            contentType: String? = "application/json"
        ) {
            self.method = method
            self.path = path
            self.body = body
            self.contentType = contentType
            self.status = status
            self.code = code
        }
    }

    static let cases: [Case] = [
        Case(.post, "/v1/rooms", #"{"name":"#, .badRequest, "bad_request"),
        Case(.post, "/v1/rooms", #"["name"]"#, .badRequest, "bad_request"),
        Case(.post, "/v1/rooms", "", .badRequest, "bad_request"),
        Case(.post, "/v1/rooms", #"{"name": 5}"#, .unprocessableContent, "invalid_field"),
        Case(.post, "/v1/rooms", #"{"name": "x", "maxParticipants": "many"}"#, .unprocessableContent, "invalid_field"),
        Case(.post, "/v1/rooms", #"{"name": "x", "maxParticipants": 1.5}"#, .unprocessableContent, "invalid_field"),
        Case(.post, "/v1/rooms", #"{"name": "x", "autoRecord": "yes"}"#, .unprocessableContent, "invalid_field"),
        Case(.post, "/v1/rooms", #"{"name": "x", "video": 720}"#, .unprocessableContent, "invalid_field"),
        Case(.post, "/v1/rooms", #"{"name": null}"#, .unprocessableContent, "invalid_field"),
        Case(.post, "/v1/rooms", #"{}"#, .unprocessableContent, "invalid_field"),
        Case(.post, "/v1/rooms", #"{"name": "   "}"#, .unprocessableContent, "invalid_field"),
        Case(.post, "/v1/rooms", #"{"name": "x", "video": {"width": 5000}}"#, .unprocessableContent, "invalid_field"),
        Case(.post, "/v1/rooms", #"{"name": "x", "video": {"width": 1281}}"#, .unprocessableContent, "invalid_field"),
        Case(.post, "/v1/rooms", #"{"name": "x", "video": {"height": 50}}"#, .unprocessableContent, "invalid_field"),
        Case(.post, "/v1/rooms", #"{"name": "x", "video": {"fps": 0}}"#, .unprocessableContent, "invalid_field"),
        Case(.post, "/v1/rooms", #"{"name": "x", "video": {"fps": 61}}"#, .unprocessableContent, "invalid_field"),
        Case(.post, "/v1/rooms", #"{"name": "x", "video": {"depth": 8}}"#, .unprocessableContent, "invalid_field"),
        Case(.post, "/v1/rooms", #"{"name": "x", "maxParticipants": 0}"#, .unprocessableContent, "invalid_field"),
        Case(.post, "/v1/rooms", #"{"name": "x", "maxParticipants": 65}"#, .unprocessableContent, "invalid_field"),
        Case(.post, "/v1/rooms", #"{"name": "x", "layout": "mosaic"}"#, .unprocessableContent, "invalid_field"),
        Case(.post, "/v1/rooms", #"{"name": "x", "access": "public"}"#, .unprocessableContent, "invalid_field"),
        Case(.post, "/v1/rooms", #"{"name": "x", "colour": "red"}"#, .unprocessableContent, "invalid_field"),
        Case(.post, "/v1/rooms", #"{"name": "x"}"#, .unsupportedMediaType, "unsupported_media_type", contentType: "text/plain"),
        Case(.post, "/v1/rooms", #"{"name": "\#(String(repeating: "x", count: 1_048_576))"}"#, .contentTooLarge, "too_large"),
        Case(.post, "/v1/users", #"{"name": "has space"}"#, .unprocessableContent, "invalid_field"),
        Case(.post, "/v1/users", #"{"displayName": "No Name"}"#, .unprocessableContent, "invalid_field"),
        Case(.get, "/v1/rooms/nope", nil, .notFound, "not_found"),
        Case(.patch, "/v1/rooms/nope", #"{"name": "y"}"#, .notFound, "not_found"),
        Case(.delete, "/v1/rooms/nope", nil, .notFound, "not_found"),
        Case(.get, "/v1/users/nope", nil, .notFound, "not_found"),
        Case(.delete, "/v1/users/nope", nil, .notFound, "not_found"),
        Case(.get, "/v1/meetings/nope", nil, .notFound, "not_found"),
        Case(.get, "/v1/recordings/nope", nil, .notFound, "not_found"),
        Case(.delete, "/v1/recordings/nope", nil, .notFound, "not_found"),
        Case(.get, "/v1/rooms/nope/participants", nil, .notFound, "not_found"),
        Case(.get, "/v1/nothing", nil, .notFound, "not_found"),
    ]

    @Test(arguments: cases)
    func refusedWithDocumentedErrorAndNothingChanges(_ testCase: Case) async throws {
        let server = try await TestServer.make()
        let store = server.context.store
        try await server.run { client in
            // Something to change: a room and a user that a bad request must leave alone.
            let room = try await client.call(.post, "/v1/rooms", body: #"{"name": "keep"}"#)
            #expect(room.status == .created)
            _ = try await client.call(.post, "/v1/users", body: #"{"name": "keeper"}"#)
            let before = try store.dump()
            let reply = try await client.call(testCase.method, testCase.path, body: testCase.body, contentType: testCase.contentType)
            #expect(reply.status == testCase.status)
            #expect(reply.errorCode == testCase.code)
            #expect(try store.dump() == before)
        }
    }

    @Test func patchingAnExistingRoomWithBadFieldsChangesNothing() async throws {
        let server = try await TestServer.make()
        let store = server.context.store
        try await server.run { client in
            let id = try #require(try await client.call(.post, "/v1/rooms", body: #"{"name": "keep"}"#).json?["id"]?.string)
            let before = try store.dump()
            for body in [
                #"{"access": "open"}"#, #"{"video": {"height": 4000}}"#, #"{"name": ""}"#, #"{"layout": 1}"#,
                #"{"name": "ok", "video": {"fps": 0}}"#,
            ] {
                let reply = try await client.call(.patch, "/v1/rooms/\(id)", body: body)
                #expect(reply.status == .unprocessableContent, "\(body)")
                #expect(reply.errorCode == "invalid_field")
            }
            #expect(try store.dump() == before)
        }
    }

    @Test func layoutErrorNamesTheChoices() async throws {
        let server = try await TestServer.make()
        try await server.run { client in
            let reply = try await client.call(.post, "/v1/rooms", body: #"{"name": "x", "layout": "mosaic"}"#)
            #expect(reply.json?["error"]?["message"]?.string?.contains("'grid' or 'speaker'") == true)
        }
    }

    @Test(arguments: [nil, "wrong-key-wrong-key", "", "test-admin-key-012345678"])
    func missingOrWrongAdminKeyIs401(key: String?) async throws {
        let server = try await TestServer.make()
        let store = server.context.store
        try await server.run { client in
            let before = try store.dump()
            for (method, path) in [(HTTPRequest.Method.get, "/v1/rooms"), (.post, "/v1/rooms"), (.get, "/v1/meetings")] {
                let reply = try await client.call(method, path, body: method == .post ? #"{"name": "x"}"# : nil, key: key)
                #expect(reply.status == .unauthorized)
                #expect(reply.errorCode == "unauthorized")
            }
            #expect(try store.dump() == before)
        }
    }
}
