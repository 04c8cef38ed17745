import Hummingbird
import TesseraStore

/// Who may watch a room's events (API.md, Auth): the admin key, a room token for this room
/// (either role), as `Authorization: Bearer` or `?token=`; and for an `open` room anyone,
/// as WHEP lets anyone watch an open room's mix. A credential that is presented must be
/// valid, open room or not (as for WHIP/WHEP). Missing or invalid: 401; a token for another
/// room: 403.
struct EventsAuthorization {
    let server: ServerContext

    func check(_ request: Request, room: Room) async throws(APIError) {
        guard let token = MediaAuthorization.presentedToken(request) else {
            guard room.access == .open else {
                throw APIError(.unauthorized, "unauthorized", "room \(room.id) needs a room token (Authorization: Bearer or ?token=)")
            }
            return
        }
        if AdminAuthMiddleware<APIContext>.constantTimeEqual(Array(token.utf8), Array(server.adminKey.utf8)) { return }
        do {
            _ = try await server.tokens.verify(token, roomId: room.id)
        } catch {
            switch error.kind {
            case .wrongRoom: throw APIError(.forbidden, "forbidden", error.description)
            case .invalid, .expired: throw APIError(.unauthorized, "unauthorized", error.description)
            }
        }
    }
}
