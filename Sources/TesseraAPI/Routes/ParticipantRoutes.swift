import Hummingbird
import TesseraStore

/// `/v1/rooms/{id}/participants` (API.md, Participants): the live view of a room.
struct ParticipantRoutes {
    let server: ServerContext

    func add(to group: RouterGroup<APIContext>) {
        group.get("rooms/{id}/participants", use: list)
        group.patch("rooms/{id}/participants/{pid}", use: mute)
        group.delete("rooms/{id}/participants/{pid}", use: kick)
    }

    @Sendable func list(_ request: Request, context: APIContext) async throws -> Response {
        let room = try server.store.room(id: try context.parameters.require("id"))
        let live = await server.participants.participants(roomId: room.id)
        return .json(.object([("participants", .array(live.map(Representation.participant)))]))
    }

    @Sendable func mute(_ request: Request, context: APIContext) async throws -> Response {
        let room = try server.store.room(id: try context.parameters.require("id"))
        let pid = try context.parameters.require("pid")
        var request = request
        let body = JSONFields(try await request.jsonObject(context: context))
        try body.onlyKnown(["audioMuted", "videoMuted"])
        let audio = try body.bool("audioMuted")
        let video = try body.bool("videoMuted")
        guard let updated = await server.participants.setMuted(id: pid, roomId: room.id, audio: audio, video: video) else {
            throw APIError.notFound("participant \(pid) is not in room \(room.id)")
        }
        await server.media?.rooms.setMuted(roomId: room.id, participantId: pid, audio: audio, video: video)
        return .json(Representation.participant(updated))
    }

    @Sendable func kick(_ request: Request, context: APIContext) async throws -> Response {
        let room = try server.store.room(id: try context.parameters.require("id"))
        let pid = try context.parameters.require("pid")
        guard await server.participants.disconnect(id: pid, roomId: room.id, reason: LeaveReason.kicked.rawValue) else {
            throw APIError.notFound("participant \(pid) is not in room \(room.id)")
        }
        server.logger.info("participant kicked", metadata: ["room": "\(room.id)", "participant": "\(pid)"])
        return Response(status: .noContent)
    }
}
