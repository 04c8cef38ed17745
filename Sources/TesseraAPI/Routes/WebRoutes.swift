import Foundation
import HTTPTypes
import Hummingbird

/// The browser client: the join page at `/`, the admin page at `/admin`, their scripts and
/// styles under `/web/{file}`. Static files (`WebAssets`), no authentication: the pages
/// call the API with the room token or admin key the user gives them.
struct WebRoutes {
    let assets: WebAssets

    /// Pages only load their own scripts and styles, and only talk to this server (HTTP
    /// and the events WebSocket); camera and remote media are MediaStreams, not URLs.
    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:",
        "media-src 'self' blob:", "connect-src 'self' ws: wss:", "object-src 'none'", "base-uri 'none'",
        "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    func add(to router: Router<APIContext>) {
        router.get("/") { request, _ in try self.serve("index.html", request) }
        router.get("admin") { request, _ in try self.serve("admin.html", request) }
        router.get("web/{file}") { request, context in try self.serve(try context.parameters.require("file"), request) }
    }

    /// The file with `Cache-Control: no-cache` (a browser revalidates, so a new release
    /// shows at once) and its ETag; 304 when the client's copy is current; 404 JSON for a
    /// name that is not one of the files.
    func serve(_ name: String, _ request: Request) throws -> Response {
        guard let file = assets[name] else { throw APIError.notFound("no web file \(name)") }
        var headers: HTTPFields = [
            .cacheControl: "no-cache",
            .eTag: file.eTag,
            Self.contentTypeOptions: "nosniff",
            Self.referrerPolicy: "no-referrer",
        ]
        if file.contentType.hasPrefix("text/html") {
            headers[Self.securityPolicy] = Self.contentSecurityPolicy
        }
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == file.eTag }) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = file.contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: file.body))
    }

    // Not in HTTPTypes' list of names; all three are valid tokens.
    static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    // Invite links carry a room token in the query: never send it on as a referrer.
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let securityPolicy = HTTPField.Name("Content-Security-Policy")!
}
