import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import NIOCore
import Testing
import TesseraMixer
import TesseraStore
@testable import TesseraAPI

/// `GET /v1/rooms/{id}/events`: who may open it, the JSON errors a refused handshake gets
/// before any upgrade, and a live socket receiving a room's events in order.
@Suite struct EventRoutesTests {
    /// A room and a viewer token for it (watching needs no more).
    static func room(_ server: TestServer, access: RoomAccess = .token) async throws -> (Room, String) {
        let room = try server.context.store.createRoom(Room(name: "events", access: access))
        let token = try await server.context.tokens.mint(subject: "guest:1", name: "Ada", roomId: room.id, role: .viewer, ttlSeconds: 600)
        return (room, token.token)
    }

    // MARK: Without an upgrade (the router's answers)

    @Test func credentialsAreCheckedBeforeAnythingElse() async throws {
        let server = try await TestServer.make()
        let (room, token) = try await Self.room(server)
        let (open, _) = try await Self.room(server, access: .open)
        let other = try server.context.store.createRoom(Room(name: "other"))
        let otherToken = try await server.context.tokens.mint(
            subject: "guest:2", name: "Bo", roomId: other.id, role: .publisher, ttlSeconds: 600)
        try await server.run { client in
            let path = "/v1/rooms/\(room.id)/events"
            #expect(try await client.call(.get, "/v1/rooms/nope/events").errorCode == "not_found")
            #expect(try await client.call(.get, "/v1/rooms/nope/events", key: nil).status == .notFound)
            #expect(try await client.call(.get, path, key: nil).errorCode == "unauthorized")
            #expect(try await client.call(.get, path, key: "not-a-token").errorCode == "unauthorized")
            #expect(try await client.call(.get, path + "?token=not-a-token", key: nil).status == .unauthorized)
            #expect(try await client.call(.get, path, key: otherToken.token).errorCode == "forbidden")
            #expect(try await client.call(.get, "/v1/rooms/\(open.id)/events", key: "not-a-token").status == .unauthorized)

            // Allowed, but a plain GET cannot be answered with events: 426 and how to ask.
            for (uri, key) in [(path, token), (path, adminKey), (path + "?token=\(token)", nil), ("/v1/rooms/\(open.id)/events", nil)] {
                let reply = try await client.call(.get, uri, key: key)
                #expect(reply.status == .upgradeRequired, "\(uri)")
                #expect(reply.errorCode == "upgrade_required")
                #expect(reply.headers[.upgrade] == "websocket")
            }
        }
    }

    @Test func theEventsPathIsRecognisedExactly() {
        #expect(EventRoutes.roomId(path: "/v1/rooms/abc/events") == "abc")
        #expect(EventRoutes.roomId(path: "/v1/rooms/abc/events?token=x") == "abc")
        #expect(EventRoutes.roomId(path: "/v1/rooms/abc/events/") == nil)
        #expect(EventRoutes.roomId(path: "/v1/rooms//events") == nil)
        #expect(EventRoutes.roomId(path: "/v1/rooms/abc") == nil)
        #expect(EventRoutes.roomId(path: "/v2/rooms/abc/events") == nil)
    }

    // MARK: Over a real socket

    /// A WebSocket handshake on a connection of its own; the answer when it is refused.
    static func handshake(port: Int, _ path: String, bearer: String? = nil) async throws -> Reply {
        try await TestClient.withClient(host: "localhost", port: port) { client in
            var headers: HTTPFields = [
                .connection: "Upgrade", .upgrade: "websocket", .secWebSocketKey: "dGhlIHNhbXBsZSBub25jZQ==", .secWebSocketVersion: "13",
            ]
            if let bearer { headers[.authorization] = "Bearer \(bearer)" }
            let response = try await client.get(path, headers: headers)
            return Reply(status: response.status, headers: response.headers, text: response.body.map { String(buffer: $0) } ?? "")
        }
    }

    @Test func aRefusedHandshakeGetsTheJSONErrorNotAnUpgrade() async throws {
        let server = try await TestServer.make()
        let (room, _) = try await Self.room(server)
        let other = try server.context.store.createRoom(Room(name: "other"))
        let otherToken = try await server.context.tokens.mint(
            subject: "guest:2", name: "Bo", roomId: other.id, role: .publisher, ttlSeconds: 600)
        try await server.runLive { client in
            let port = try #require(client.port)
            let notFound = try await Self.handshake(port: port, "/v1/rooms/nope/events", bearer: adminKey)
            #expect(notFound.status == .notFound)
            #expect(notFound.errorCode == "not_found")
            let missing = try await Self.handshake(port: port, "/v1/rooms/\(room.id)/events")
            #expect(missing.status == .unauthorized)
            #expect(missing.errorCode == "unauthorized")
            let invalid = try await Self.handshake(port: port, "/v1/rooms/\(room.id)/events?token=forged")
            #expect(invalid.errorCode == "unauthorized")
            let wrongRoom = try await Self.handshake(port: port, "/v1/rooms/\(room.id)/events", bearer: otherToken.token)
            #expect(wrongRoom.status == .forbidden)
            #expect(wrongRoom.errorCode == "forbidden")
            #expect(server.context.events.subscriberCount == 0, "a refused handshake subscribes to nothing")

            await #expect(throws: (any Error).self) {
                try await WebSocketClient.connect(
                    url: "ws://localhost:\(port)/v1/rooms/\(room.id)/events", logger: Self.logger
                ) { _, _, _ in }
            }
        }
    }

    static let logger: Logger = {
        var logger = Logger(label: "events-test")
        logger.logLevel = .critical
        return logger
    }()

    /// Opens the events socket of `path` and collects its text messages until the server closes it.
    static func listen(port: Int, _ path: String, headers: HTTPFields = [:], into received: Locked<[String]>) -> Task<
        WebSocketCloseFrame?, any Error
    > {
        Task {
            try await WebSocketClient.connect(
                url: "ws://localhost:\(port)\(path)", configuration: .init(additionalHeaders: headers), logger: logger
            ) { inbound, _, _ in
                for try await message in inbound.messages(maxSize: 1 << 16) {
                    if case .text(let text) = message { received.withLock { $0.append(text) } }
                }
            }
        }
    }

    @Test func aSocketReceivesTheRoomsEventsInOrderUntilTheRoomIsDeleted() async throws {
        let server = try await TestServer.make()
        let (room, token) = try await Self.room(server)
        let events = server.context.events
        try await server.runLive { client in
            let port = try #require(client.port)
            let byQuery = Locked<[String]>([])
            let byHeader = Locked<[String]>([])
            let first = Self.listen(port: port, "/v1/rooms/\(room.id)/events?token=\(token)", into: byQuery)
            let second = Self.listen(
                port: port, "/v1/rooms/\(room.id)/events", headers: [.authorization: "Bearer \(token)"], into: byHeader)
            _ = try await Deadline.waitFor("both sockets to subscribe", within: .seconds(10)) {
                events.subscriberCount(roomId: room.id) == 2 ? true : nil
            }

            events.publish(RoomEvent(.participantJoined(participantId: "p1", displayName: "Ada", role: .publisher)), roomId: room.id)
            for n in 0..<50 { events.publish(RoomEvent(.speaking(participantId: "p1", speaking: n % 2 == 0)), roomId: room.id) }
            #expect(try await client.call(.patch, "/v1/rooms/\(room.id)", body: #"{"layout": "speaker"}"#).status == .ok)
            // The same layout again is no change: no event.
            #expect(try await client.call(.patch, "/v1/rooms/\(room.id)", body: #"{"layout": "speaker", "name": "x"}"#).status == .ok)
            #expect(try await client.call(.delete, "/v1/rooms/\(room.id)").status == .noContent)

            for (socket, received) in [(first, byQuery), (second, byHeader)] {
                let close = try await socket.value
                #expect(close?.closeCode == .normalClosure, "the room's deletion closes its sockets")
                let messages = received.value.compactMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
                #expect(messages.count == received.value.count, "every message is one JSON object")
                let types = messages.compactMap { $0["type"]?.string }
                #expect(types == ["participant-joined"] + Array(repeating: "speaking", count: 50) + ["layout-changed"])
                let speaking = messages.filter { $0["type"] == "speaking" }.map { $0["speaking"] }
                #expect(speaking == (0..<50).map { JSONValue.bool($0 % 2 == 0) }, "published order")
                #expect(messages.first?["displayName"] == "Ada")
                #expect(messages.last?["layout"] == "speaker")
                for message in messages {
                    let at = message["at"]?.string ?? ""
                    #expect(at.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "at: \(at)")
                }
            }
            #expect(events.subscriberCount == 0)
        }
    }

    @Test func aSnapshotSocketStartsWithTheRoomAsItIsThenTheLiveEvents() async throws {
        let server = try await TestServer.make()
        let (room, token) = try await Self.room(server)
        let events = server.context.events
        let directory = server.context.participants
        let joined = try #require(Timestamp.date("2027-01-15T08:00:00.000Z"))
        await directory.add(
            LiveParticipant(id: "p1", roomId: room.id, userId: nil, displayName: "Ann", role: "publisher", joinedAt: joined),
            disconnect: { _ in })
        await directory.add(
            LiveParticipant(id: "p2", roomId: room.id, userId: nil, displayName: "Bo", role: "viewer", joinedAt: joined),
            disconnect: { _ in })
        _ = await directory.setMuted(id: "p1", roomId: room.id, audio: true, video: nil)
        await directory.setSpeaking(id: "p1", roomId: room.id, speaking: true)
        try await server.runLive { client in
            let port = try #require(client.port)
            let received = Locked<[String]>([])
            let socket = Self.listen(port: port, "/v1/rooms/\(room.id)/events?token=\(token)&snapshot=true", into: received)
            _ = try await Deadline.waitFor("the socket to subscribe", within: .seconds(10)) {
                events.subscriberCount(roomId: room.id) == 1 ? true : nil
            }
            // p2's join published again after the snapshot (it joined in between): not sent twice.
            events.publish(RoomEvent(.participantJoined(participantId: "p2", displayName: "Bo", role: .viewer)), roomId: room.id)
            events.publish(RoomEvent(.participantLeft(participantId: "p1", reason: .left)), roomId: room.id)
            #expect(try await client.call(.delete, "/v1/rooms/\(room.id)").status == .noContent)
            #expect(try await socket.value?.closeCode == .normalClosure)
            let messages = received.value.compactMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
            // (What the room's deletion sends after these is another test's business.)
            #expect(messages.prefix(5).compactMap { $0["type"]?.string } == [
                "participant-joined", "participant-joined", "participant-muted", "speaking", "participant-left",
            ])
            #expect(messages.first?["displayName"] == "Ann")
            #expect(messages.first?["at"] == "2027-01-15T08:00:00.000Z")
            #expect(messages.dropFirst().first?["role"] == "viewer")
            #expect(messages.dropFirst(2).first?["audioMuted"] == true)
            #expect(messages.dropFirst(2).first?["videoMuted"] == false)
            #expect(messages.dropFirst(3).first?["participantId"] == "p1")
        }
    }

    @Test func theSnapshotSkipsOnlyTheJoinsItAnnounced() {
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        var snapshot = RoomSnapshot([LiveParticipant(id: "p1", roomId: "r", userId: nil, displayName: "Ann", role: "publisher", joinedAt: at)])
        #expect(snapshot.events.map(\.type) == ["participant-joined"])
        let joinP1 = RoomEvent(.participantJoined(participantId: "p1", displayName: "Ann", role: .publisher))
        let joinP2 = RoomEvent(.participantJoined(participantId: "p2", displayName: "Bo", role: .publisher))
        // (Results first: #expect cannot call a mutating method.)
        let sent = [joinP1, joinP1, joinP2, RoomEvent(.speaking(participantId: "p1", speaking: true))].map { snapshot.shouldSend($0) }
        #expect(sent == [false, true, true, true], "p1's join skipped once (the snapshot announced it), nothing else")
    }

    @Test func anOpenRoomsEventsNeedNoToken() async throws {
        let server = try await TestServer.make()
        let (room, _) = try await Self.room(server, access: .open)
        let events = server.context.events
        try await server.runLive { client in
            let port = try #require(client.port)
            let received = Locked<[String]>([])
            let socket = Self.listen(port: port, "/v1/rooms/\(room.id)/events", into: received)
            _ = try await Deadline.waitFor("the socket to subscribe", within: .seconds(10)) {
                events.subscriberCount(roomId: room.id) == 1 ? true : nil
            }
            events.publish(RoomEvent(.meetingEnded(meetingId: "m1")), roomId: room.id)
            #expect(try await client.call(.delete, "/v1/rooms/\(room.id)").status == .noContent)
            #expect(try await socket.value?.closeCode == .normalClosure)
            #expect(received.value.count == 1)
            #expect(received.value.first?.contains(#""meetingId":"m1""#) == true)
        }
    }
}
