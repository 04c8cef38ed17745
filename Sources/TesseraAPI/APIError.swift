public import HTTPTypes
public import Hummingbird
import NIOCore
import TesseraStore

/// The one error type of the API: a status, a machine-readable code and a message,
/// answered as `{"error": {"code", "message"}}` (API.md, Errors).
public struct APIError: Error, HTTPResponseError, Sendable, CustomStringConvertible {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    /// Extra response headers (e.g. `Content-Range` on a 416).
    public let headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = Response.json(status: status, .object([("error", .object([("code", .string(code)), ("message", .string(message))]))]))
        for field in headers where response.headers[field.name] == nil { response.headers.append(field) }
        return response
    }

    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, "bad_request", message) }
    static func invalid(_ message: String) -> APIError { APIError(.unprocessableContent, "invalid_field", message) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }
    static func conflict(_ message: String) -> APIError { APIError(.conflict, "conflict", message) }
    static let unauthorized = APIError(.unauthorized, "unauthorized", "missing or invalid credentials")

    /// Maps any error to the API shape; unknown errors become a 500 that hides internals.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as StoreError:
            switch error.kind {
            case .invalidField: return .invalid(error.message)
            case .notFound: return .notFound(error.message)
            case .conflict: return .conflict(error.message)
            case .migration: return APIError(.internalServerError, "internal", "the database is not readable by this version")
            }
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, "too_large", "the request body is larger than the server accepts")
        case let error as HTTPError:
            switch error.status {
            case .notFound: return .notFound("no such route")
            case .contentTooLarge: return APIError(.contentTooLarge, "too_large", "the request body is larger than the server accepts")
            default: return APIError(error.status, "http_\(error.status.code)", error.body ?? error.status.reasonPhrase)
            }
        default:
            return APIError(.internalServerError, "internal", "internal error")
        }
    }
}

extension Response {
    /// A JSON response with `Content-Type: application/json`.
    static func json(status: HTTPResponse.Status = .ok, _ value: JSONValue) -> Response {
        let text = value.serialized
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
