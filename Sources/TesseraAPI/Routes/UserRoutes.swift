import Hummingbird
import TesseraStore

/// `/v1/users` (API.md, Users).
struct UserRoutes {
    let server: ServerContext

    func add(to group: RouterGroup<APIContext>) {
        group.post("users", use: create)
        group.get("users", use: list)
        group.get("users/{id}", use: get)
        group.delete("users/{id}", use: delete)
    }

    @Sendable func create(_ request: Request, context: APIContext) async throws -> Response {
        var request = request
        let body = JSONFields(try await request.jsonObject(context: context))
        try body.onlyKnown(["name", "displayName"])
        guard let name = try body.string("name") else { throw APIError.invalid("name is required") }
        let user = try server.store.createUser(User(name: name, displayName: try body.string("displayName")))
        server.logger.info("user created", metadata: ["user": "\(user.id)", "name": "\(user.name)"])
        return .json(status: .created, Representation.user(user))
    }

    @Sendable func list(_ request: Request, context: APIContext) async throws -> Response {
        .json(.object([("users", .array(try server.store.users().map(Representation.user)))]))
    }

    @Sendable func get(_ request: Request, context: APIContext) async throws -> Response {
        .json(Representation.user(try server.store.user(id: try context.parameters.require("id"))))
    }

    @Sendable func delete(_ request: Request, context: APIContext) async throws -> Response {
        let id = try context.parameters.require("id")
        try server.store.deleteUser(id: id)
        server.logger.info("user deleted", metadata: ["user": "\(id)"])
        return Response(status: .noContent)
    }
}
