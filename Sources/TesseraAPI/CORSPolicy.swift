import HTTPTypes
import Hummingbird

/// CORS for browser WHIP/WHEP clients (RFC 9725 §4.8): preflight OPTIONS is answered for
/// every route, and every response exposes `Location` and `Tessera-Participant-Id` so a
/// page can read its session URL and its participant id.
/// Sits outside `ErrorMiddleware`, so error responses carry the headers too.
struct CORSPolicy<Context: RequestContext>: RouterMiddleware {
    static var allowMethods: String { "GET, POST, PATCH, DELETE, OPTIONS" }
    static var allowHeaders: String { "Authorization, Content-Type, If-Match, Accept" }
    static var exposeHeaders: String { "Location, Tessera-Participant-Id, ETag, Link, Content-Type" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.headers[.origin] != nil else { return try await next(request, context) }
        if request.method == .options {
            return Response(
                status: .noContent,
                headers: [
                    .accessControlAllowOrigin: "*",
                    .accessControlAllowMethods: Self.allowMethods,
                    .accessControlAllowHeaders: Self.allowHeaders,
                    .accessControlExposeHeaders: Self.exposeHeaders,
                    .accessControlMaxAge: "600",
                ])
        }
        var response = try await next(request, context)
        response.headers[.accessControlAllowOrigin] = "*"
        response.headers[.accessControlExposeHeaders] = Self.exposeHeaders
        return response
    }
}
