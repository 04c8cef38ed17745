import Hummingbird
import TesseraStore

/// `POST /v1/rooms/{id}/tokens` (API.md, Tokens).
struct TokenRoutes {
    let server: ServerContext

    func add(to group: RouterGroup<APIContext>) {
        group.post("rooms/{id}/tokens", use: mint)
    }

    @Sendable func mint(_ request: Request, context: APIContext) async throws -> Response {
        let room = try server.store.room(id: try context.parameters.require("id"))
        var request = request
        let body = JSONFields(try await request.jsonObject(context: context))
        try body.onlyKnown(["userId", "displayName", "role", "ttlSeconds"])
        let role = try body.choice("role", ParticipantRole.self) ?? .publisher
        let ttl = try body.integer("ttlSeconds") ?? 3600
        try Validate.range(ttl, Limits.tokenTTLSeconds, field: "ttlSeconds")
        let subject: String
        let name: String
        switch (try body.string("userId"), try body.string("displayName")) {
        case (let userId?, let displayName):
            let user: User
            do {
                user = try server.store.user(id: userId)
            } catch let error as StoreError where error.kind == .notFound {
                throw APIError.invalid("userId \(userId) is not a known user")
            }
            if let displayName { try Validate.text(displayName, field: "displayName", length: Limits.nameLength) }
            subject = user.id
            name = displayName ?? user.displayName
        case (nil, let displayName?):
            try Validate.text(displayName, field: "displayName", length: Limits.nameLength)
            subject = "guest:\(Identifier.make())"
            name = displayName
        case (nil, nil):
            throw APIError.invalid("userId or displayName is required")
        }
        let minted = try await server.tokens.mint(subject: subject, name: name, roomId: room.id, role: role, ttlSeconds: ttl)
        return .json(
            status: .created,
            .object([("token", .string(minted.token)), ("expiresAt", Representation.time(minted.expiresAt))]))
    }
}
