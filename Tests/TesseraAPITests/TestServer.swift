import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import TesseraMixer
import Testing
@testable import TesseraAPI
@testable import TesseraStore

let adminKey = "test-admin-key-0123456789"

/// A server on a temporary file database, driven in-process through the router.
struct TestServer: Sendable {
    let context: ServerContext
    let directory: String

    static func make(now: @escaping @Sendable () -> Date = { Date() }) async throws -> TestServer {
        let directory = NSTemporaryDirectory() + "tessera-api-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try Store(path: directory + "/tessera.sqlite")
        let tokens = try await RoomTokens(secret: "test-secret-test-secret-test-secret", now: now)
        var logger = Logger(label: "tessera-test")
        logger.logLevel = .critical
        return TestServer(
            context: ServerContext(store: store, tokens: tokens, adminKey: adminKey, dataDirectory: directory, logger: logger),
            directory: directory)
    }

    func run<Value: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let app = Application(router: TesseraRouter.build(context))
        return try await app.test(.router, body)
    }

    /// The same over a real socket, with the server's own HTTP channel (the events upgrade).
    func runLive<Value: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let app = Application(router: TesseraRouter.build(context), server: TesseraServer.httpServer(context), logger: context.logger)
        return try await app.test(.live, body)
    }
}

/// A response with its body parsed as JSON when it is JSON.
struct Reply: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let text: String
    var json: JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

    /// The error code of a JSON error body, after checking the body has exactly the documented shape.
    var errorCode: String? {
        guard case .object(let top)? = json, top.count == 1, top[0].0 == "error",
            case .object(let fields) = top[0].1, fields.map(\.0).sorted() == ["code", "message"],
            case .string(let code)? = json?["error"]?["code"], case .string(let message)? = json?["error"]?["message"],
            !message.isEmpty, headers[.contentType]?.hasPrefix("application/json") == true
        else { return nil }
        return code
    }

    /// The top-level keys, sorted (parsing does not keep key order).
    func keys() -> [String] {
        guard case .object(let fields)? = json else { return [] }
        return fields.map(\.0).sorted()
    }
}

extension TestClientProtocol {
    func call(
        _ method: HTTPRequest.Method, _ uri: String, body: String? = nil, key: String? = adminKey,
        contentType: String? = "application/json"
    ) async throws -> Reply {
        var headers: HTTPFields = [:]
        if let key { headers[.authorization] = "Bearer \(key)" }
        if body != nil, let contentType { headers[.contentType] = contentType }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) {
            Reply(status: $0.status, headers: $0.headers, text: String(buffer: $0.body))
        }
    }
}

extension JSONValue {
    var string: String? {
        if case .string(let value) = self { value } else { nil }
    }
}
