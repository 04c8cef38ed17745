import Hummingbird
import TesseraStore

/// `/v1/meetings` (API.md, Meetings).
struct MeetingRoutes {
    let server: ServerContext

    func add(to group: RouterGroup<APIContext>) {
        group.get("meetings", use: list)
        group.get("meetings/{id}", use: get)
    }

    @Sendable func list(_ request: Request, context: APIContext) async throws -> Response {
        let meetings = try server.store.meetings(roomId: request.uri.queryParameters.get("room"))
        return .json(.object([("meetings", .array(meetings.map(Representation.meeting)))]))
    }

    @Sendable func get(_ request: Request, context: APIContext) async throws -> Response {
        .json(Representation.meeting(try server.store.meeting(id: try context.parameters.require("id"))))
    }
}
