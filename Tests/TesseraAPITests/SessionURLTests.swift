import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
@testable import TesseraAPI

/// The session URL (the WHIP/WHEP `Location`) is what lets a client trickle, mute itself
/// and leave. Participant ids are public in the room (events, participant list), so the
/// URL ends in a secret key instead, and a participant id used as one is a 404.
@Suite struct SessionURLTests {
    static let offer: String = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("TesseraTransportTests/Fixtures/aiortc-1.16-sendrecv-offer.sdp").path
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }()

    @Test func anotherMembersParticipantIdIsNotTheirSessionURL() async throws {
        try await Self.withMediaServer { client in
            let room = try #require(try await client.call(.post, "/v1/rooms", body: #"{"name": "s"}"#).json?["id"]?.string)
            let ann = try await Self.token(client, room: room, name: "Ann")
            let eve = try await Self.token(client, room: room, name: "Eve")
            let annJoin = try await Self.whip(client, room: room, token: ann)
            let eveJoin = try await Self.whip(client, room: room, token: eve)

            // Each answer names its participant: the id of the participant list.
            let listed = try await Self.participants(client, room: room)
            #expect(listed.map(\.id).sorted() == [annJoin.participantId, eveJoin.participantId].sorted())
            #expect(listed.first { $0.id == annJoin.participantId }?.name == "Ann")
            for join in [annJoin, eveJoin] {
                let key = String(join.location.split(separator: "/").last ?? "")
                #expect(join.location == "/v1/rooms/\(room)/sessions/\(key)")
                #expect(key != join.participantId)
                #expect(key.count >= 32 && key.allSatisfy(\.isHexDigit), "\(key) is not 128 random bits")
                #expect(join.exposed.contains("Tessera-Participant-Id") && join.exposed.contains("Location"))
            }

            // Eve, a member with a valid token, tries Ann's participant id as a session URL.
            let forged = "/v1/rooms/\(room)/sessions/\(annJoin.participantId)"
            let mute = try await client.call(.patch, forged, body: #"{"audioMuted": true, "videoMuted": true}"#, key: eve)
            let restart = try await client.call(
                .patch, forged, body: "a=ice-ufrag:evil\r\na=ice-pwd:restartpassword0123456789\r\n", key: eve,
                contentType: "application/trickle-ice-sdpfrag")
            let kick = try await client.call(.delete, forged, key: eve)
            for reply in [mute, restart, kick] {
                #expect(reply.status == .notFound)
                #expect(reply.errorCode == "not_found")
            }
            let after = try await Self.participants(client, room: room)
            #expect(after.count == 2)
            #expect(after.first { $0.id == annJoin.participantId }.map { [$0.audioMuted, $0.videoMuted] } == [false, false])

            // Ann's own URL works for her: mute, then leave.
            let muted = try await client.call(.patch, annJoin.location, body: #"{"audioMuted": true}"#, key: ann)
            #expect(muted.status == .ok)
            #expect(muted.json?["id"]?.string == annJoin.participantId)
            #expect(try await client.call(.delete, annJoin.location, key: ann).status == .ok)
            #expect(try await Self.participants(client, room: room).map(\.id) == [eveJoin.participantId])
            #expect(try await client.call(.delete, annJoin.location, key: ann).errorCode == "not_found")
        }
    }

    @Test func keysAreFreshAndComparedWhole() {
        let keys = (0..<64).map { _ in SessionKey.make().text }
        #expect(Set(keys).count == keys.count)
        let key = SessionKey.make()
        #expect(key.matches(key.text))
        #expect(!key.matches(String(key.text.dropLast())))
        #expect(!key.matches(key.text + "0"))
        #expect(!key.matches(""))
    }

    struct Join {
        let location: String
        let participantId: String
        let exposed: String
    }

    struct Listed {
        let id: String
        let name: String?
        let audioMuted: Bool
        let videoMuted: Bool
    }

    static func whip(_ client: any TestClientProtocol, room: String, token: String) async throws -> Join {
        let headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/sdp", .origin: "http://page.test"]
        return try await client.execute(
            uri: "/v1/rooms/\(room)/whip", method: .post, headers: headers, body: ByteBuffer(string: offer)
        ) { response in
            #expect(response.status == .created, "\(String(buffer: response.body))")
            return Join(
                location: response.headers[.location] ?? "", participantId: response.headers[.tesseraParticipantId] ?? "",
                exposed: response.headers[.accessControlExposeHeaders] ?? "")
        }
    }

    static func token(_ client: any TestClientProtocol, room: String, name: String) async throws -> String {
        let reply = try await client.call(.post, "/v1/rooms/\(room)/tokens", body: #"{"displayName": "\#(name)"}"#)
        return try #require(reply.json?["token"]?.string)
    }

    static func participants(_ client: any TestClientProtocol, room: String) async throws -> [Listed] {
        guard case .array(let people)? = try await client.call(.get, "/v1/rooms/\(room)/participants").json?["participants"] else {
            return []
        }
        return people.map {
            Listed(
                id: $0["id"]?.string ?? "", name: $0["displayName"]?.string,
                audioMuted: $0["audioMuted"] == true, videoMuted: $0["videoMuted"] == true)
        }
    }

    /// A server with its media port (port 0) and supervisor, driven through the router;
    /// its sessions, rooms and port are closed afterwards as at shutdown.
    static func withMediaServer(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        #expect(!offer.isEmpty, "the aiortc offer fixture is missing")
        let directory = NSTemporaryDirectory() + "tessera-session-url-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var settings = ServerSettings()
        settings.dataDirectory = directory
        settings.mediaPort = 0
        settings.publicIP = "127.0.0.1"
        settings.adminKey = adminKey
        var logger = Logger(label: "tessera-test")
        logger.logLevel = .critical
        let server = try await TesseraServer.prepare(settings: settings, logger: logger)
        let media = try #require(server.context.media)
        func stop() async {
            await media.supervisor.endAll(reason: .shutdown)
            await media.rooms.stopAll()
            await media.port.shutdown(reason: .shutdown)
        }
        do {
            try await Application(router: TesseraRouter.build(server.context)).test(.router, body)
        } catch {
            await stop()
            throw error
        }
        await stop()
    }
}
