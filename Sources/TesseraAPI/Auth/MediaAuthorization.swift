import Foundation
import HTTPTypes
import Hummingbird
import TesseraStore

/// Who is joining a room over WHIP/WHEP, and as what (API.md, Auth).
struct MediaIdentity: Sendable {
    let userId: String?
    let displayName: String
    let role: ParticipantRole
}

/// Decides whether a media request may join `room`: a room token for this room (also as
/// `?token=`), the admin key, or nothing at all for an `open` room (name from `?name=`).
/// Missing or invalid credentials: 401; a token for another room or a viewer publishing: 403.
struct MediaAuthorization {
    let server: ServerContext

    static let defaultGuestName = "Guest"

    func identity(for request: Request, room: Room, wants role: ParticipantRole) async throws -> MediaIdentity {
        let query = request.uri.queryParameters
        let token = Self.presentedToken(request)
        let name = try query.get("name").map { try Self.displayName($0) }
        if let token {
            if AdminAuthMiddleware<APIContext>.constantTimeEqual(Array(token.utf8), Array(server.adminKey.utf8)) {
                return MediaIdentity(userId: nil, displayName: name ?? "admin", role: role)
            }
            let claims: RoomTokenClaims
            do {
                claims = try await server.tokens.verify(token, roomId: room.id)
            } catch {
                // A 401 is counted by ErrorMiddleware with every other; a token for another
                // room is an auth failure too, answered 403 (as the events route counts it).
                switch error.kind {
                case .wrongRoom:
                    server.metrics.authFailures.increment()
                    throw APIError(.forbidden, "forbidden", error.description)
                case .invalid, .expired: throw APIError(.unauthorized, "unauthorized", error.description)
                }
            }
            if role == .publisher && claims.role == .viewer {
                throw APIError(.forbidden, "forbidden", "a viewer token cannot publish; use WHEP to watch")
            }
            let subject = claims.sub.value
            return MediaIdentity(userId: subject.hasPrefix("guest:") ? nil : subject, displayName: claims.name, role: role)
        }
        guard room.access == .open else {
            throw APIError(.unauthorized, "unauthorized", "room \(room.id) needs a room token (Authorization: Bearer or ?token=)")
        }
        return MediaIdentity(userId: nil, displayName: name ?? Self.defaultGuestName, role: role)
    }

    /// The credential of `Authorization: Bearer`, else of `?token=` (browsers cannot set
    /// headers on a WebSocket).
    static func presentedToken(_ request: Request) -> String? {
        let bearer = request.headers[.authorization].flatMap { header -> String? in
            guard header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
            return String(header.dropFirst(7))
        }
        return bearer ?? request.uri.queryParameters.get("token")
    }

    static func displayName(_ text: String) throws -> String {
        do {
            try Validate.text(text, field: "name", length: Limits.nameLength)
        } catch {
            throw APIError.invalid(error.message)
        }
        return text
    }
}
