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
        let change = try await MuteChange.read(&request, context: context)
        let updated = try await change.apply(participantId: pid, roomId: room.id, server: server)
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
