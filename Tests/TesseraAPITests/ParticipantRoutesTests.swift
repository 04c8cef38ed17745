import Foundation
import Testing
import TesseraMixer
@testable import TesseraAPI

@Suite struct ParticipantRoutesTests {
    actor Kicks {
        var reasons: [String] = []
        func add(_ reason: String) { reasons.append(reason) }
    }

    @Test func liveParticipantsAreListedMutedAndKicked() async throws {
        let server = try await TestServer.make()
        let kicks = Kicks()
        try await server.run { client in
            let room = try #require(try await client.call(.post, "/v1/rooms", body: #"{"name": "r"}"#).json?["id"]?.string)
            #expect(try await client.call(.get, "/v1/rooms/\(room)/participants").json?["participants"] == .array([]))
            await server.context.participants.add(
                LiveParticipant(
                    id: "p1", roomId: room, userId: nil, displayName: "Ann", role: "publisher",
                    joinedAt: Date(timeIntervalSince1970: 1_800_000_000)),
                disconnect: { await kicks.add($0) })

            let list = try await client.call(.get, "/v1/rooms/\(room)/participants")
            guard case .array(let people)? = list.json?["participants"] else { Issue.record("no list"); return }
            #expect(people.count == 1)
            #expect(people.first?["displayName"] == "Ann")
            #expect(people.first?["joinedAt"] == "2027-01-15T08:00:00.000Z")
            let keys: [String] = if case .object(let fields)? = people.first { fields.map(\.0).sorted() } else { [] }
            #expect(keys == ["id", "userId", "displayName", "role", "joinedAt", "audioMuted", "videoMuted", "speaking"].sorted())

            let subscription = server.context.events.subscribe(roomId: room)
            let muted = try await client.call(.patch, "/v1/rooms/\(room)/participants/p1", body: #"{"videoMuted": true}"#)
            #expect(muted.status == .ok)
            // The room's events socket hears of it, as of a participant's own mute.
            var events = subscription.events.makeAsyncIterator()
            let event = await events.next()
            #expect(event?.kind == .participantMuted(participantId: "p1", audioMuted: false, videoMuted: true))
            server.context.events.unsubscribe(subscription)
            #expect(muted.json?["videoMuted"] == true)
            #expect(muted.json?["audioMuted"] == false)
            // The room view shows the same live state.
            let detail = try await client.call(.get, "/v1/rooms/\(room)").json?["participants"]
            guard case .array(let inRoom)? = detail else { Issue.record("no participants in the room"); return }
            #expect(inRoom.first?["videoMuted"] == true)

            #expect(try await client.call(.patch, "/v1/rooms/\(room)/participants/p9", body: #"{"audioMuted": true}"#).status == .notFound)
            #expect(try await client.call(.patch, "/v1/rooms/\(room)/participants/p1", body: #"{"audioMuted": 1}"#).status == .unprocessableContent)
            #expect(try await client.call(.delete, "/v1/rooms/\(room)/participants/p9").status == .notFound)
            #expect(try await client.call(.delete, "/v1/rooms/\(room)/participants/p1").status == .noContent)
            #expect(await kicks.reasons == ["kicked"])

            #expect(try await client.call(.delete, "/v1/rooms/\(room)").status == .noContent)
            #expect(await kicks.reasons == ["kicked", "room-deleted"])
        }
    }
}
