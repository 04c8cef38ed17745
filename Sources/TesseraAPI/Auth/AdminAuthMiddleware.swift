import HTTPTypes
import Hummingbird

/// Requires `Authorization: Bearer <admin key>` (API.md, Auth); compares in constant time.
struct AdminAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let key: [UInt8]

    init(key: String) { self.key = Array(key.utf8) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.count > 7,
            header.prefix(7).lowercased() == "bearer ",
            AdminAuthMiddleware.constantTimeEqual(Array(header.dropFirst(7).utf8), key)
        else { throw APIError.unauthorized }
        return try await next(request, context)
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
