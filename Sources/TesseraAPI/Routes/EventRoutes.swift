import HTTPTypes
import Hummingbird
import NIOCore
import TesseraStore

/// `GET /v1/rooms/{id}/events` (API.md, Events): a WebSocket of the room's events.
///
/// `accept` decides the upgrade (see `EventsHTTPChannel`). A request the router sees did
/// not upgrade: it gets the error that refused it (404, 401, 403), else 426 (no upgrade
/// asked) or 400 (an upgrade NIO could not do: no `Sec-WebSocket-Key`, a version other
/// than 13, or not the first request of its connection).
struct EventRoutes {
    let server: ServerContext

    func add(to group: RouterGroup<APIContext>) {
        group.get("rooms/{id}/events", use: notUpgraded)
    }

    @Sendable func notUpgraded(_ request: Request, context: APIContext) async throws -> Response {
        let room = try server.store.room(id: try context.parameters.require("id"))
        do {
            try await EventsAuthorization(server: server).check(request, room: room)
        } catch {
            // 401s are counted with every other error; a token for another room counts too.
            if error.status == .forbidden { server.metrics.authFailures.increment() }
            throw error
        }
        if request.headers[.upgrade]?.lowercased() == "websocket" {
            throw APIError.badRequest(
                "the WebSocket handshake needs Sec-WebSocket-Version: 13 and a Sec-WebSocket-Key, "
                    + "as the first request of its connection")
        }
        var response = try APIError(
            .upgradeRequired, "upgrade_required", "\(request.uri.path) is a WebSocket: send Connection: Upgrade, Upgrade: websocket"
        ).response(from: request, context: context)
        response.headers[.upgrade] = "websocket"
        return response
    }

    /// The upgrade decision: a subscription when `head` asks for the events of a room that
    /// exists with credentials that may watch it; nil otherwise (the router then answers).
    func accept(_ head: HTTPRequest) async -> EventSubscription? {
        guard head.method == .get, let roomId = Self.roomId(path: head.path ?? ""),
            let room = try? server.store.room(id: roomId)
        else { return nil }
        let request = Request(head: head, body: RequestBody(buffer: ByteBuffer()))
        do {
            try await EventsAuthorization(server: server).check(request, room: room)
        } catch {
            return nil
        }
        server.logger.debug("events socket opened", metadata: ["room": "\(room.id)"])
        let subscription = server.events.subscribe(roomId: room.id)
        if Self.wantsSnapshot(request) {
            // After subscribing: see RoomSnapshot.
            subscription.setSnapshot(RoomSnapshot(await server.participants.participants(roomId: room.id)))
        }
        return subscription
    }

    /// `?snapshot=true` (or `1`): the room's current participants first (`RoomSnapshot`).
    static func wantsSnapshot(_ request: Request) -> Bool {
        ["true", "1"].contains(request.uri.queryParameters.get("snapshot")?.lowercased() ?? "")
    }

    /// The `{id}` of `/v1/rooms/{id}/events` (with or without a query), else nil.
    static func roomId(path: String) -> String? {
        let parts = path.prefix { $0 != "?" }.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0].isEmpty, parts[1] == "v1", parts[2] == "rooms", !parts[3].isEmpty, parts[4] == "events"
        else { return nil }
        return String(parts[3])
    }
}
