import Foundation
import HTTPTypes
import Hummingbird

extension Request {
    /// Reads the body as one JSON object, refusing a wrong content type (415), a body over
    /// the limit (413), text that is not JSON (400) and JSON that is not an object (400).
    mutating func jsonObject(context: some RequestContext, allowEmpty: Bool = false) async throws -> JSONValue {
        if let type = headers[.contentType], !type.lowercased().hasPrefix("application/json") {
            throw APIError(.unsupportedMediaType, "unsupported_media_type", "send the body as application/json, got \(type)")
        }
        if let length = headers[.contentLength].flatMap(Int.init), length > context.maxUploadSize {
            throw APIError(.contentTooLarge, "too_large", "the body is \(length) bytes; the limit is \(context.maxUploadSize)")
        }
        let buffer = try await collectBody(upTo: context.maxUploadSize)
        if buffer.readableBytes == 0 {
            if allowEmpty { return .object([]) }
            throw APIError.badRequest("the request needs a JSON object body")
        }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView))
        } catch {
            throw APIError.badRequest("the body is not valid JSON")
        }
        guard case .object = value else { throw APIError.badRequest("the body must be a JSON object, got \(value.typeName)") }
        return value
    }
}

/// Typed reads of an object's fields with messages that name the field (422 on a wrong type).
struct JSONFields {
    let value: JSONValue
    let prefix: String

    init(_ value: JSONValue, prefix: String = "") {
        self.value = value
        self.prefix = prefix
    }

    private func name(_ key: String) -> String { prefix.isEmpty ? key : "\(prefix).\(key)" }

    /// Nil when absent; explicit null is refused, as every field of the API has a default.
    private func present(_ key: String) throws -> JSONValue? {
        guard let field = value[key] else { return nil }
        if case .null = field { throw APIError.invalid("\(name(key)) must not be null") }
        return field
    }

    func string(_ key: String) throws -> String? {
        guard let field = try present(key) else { return nil }
        guard case .string(let text) = field else { throw APIError.invalid("\(name(key)) must be a string, got \(field.typeName)") }
        return text
    }

    func integer(_ key: String) throws -> Int? {
        guard let field = try present(key) else { return nil }
        switch field {
        case .integer(let number): return number
        case .number(let number) where number.rounded() == number && abs(number) < 1e15: return Int(number)
        default: throw APIError.invalid("\(name(key)) must be an integer, got \(field.typeName)")
        }
    }

    func bool(_ key: String) throws -> Bool? {
        guard let field = try present(key) else { return nil }
        guard case .bool(let flag) = field else { throw APIError.invalid("\(name(key)) must be true or false, got \(field.typeName)") }
        return flag
    }

    func object(_ key: String) throws -> JSONFields? {
        guard let field = try present(key) else { return nil }
        guard case .object = field else { throw APIError.invalid("\(name(key)) must be an object, got \(field.typeName)") }
        return JSONFields(field, prefix: name(key))
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: String, _: T.Type) throws -> T? where T.RawValue == String {
        guard let text = try string(key) else { return nil }
        guard let choice = T(rawValue: text) else {
            let allowed = T.allCases.map { "'\($0.rawValue)'" }.joined(separator: " or ")
            throw APIError.invalid("\(name(key)) must be \(allowed), got '\(text)'")
        }
        return choice
    }

    /// Refuses fields the route does not know, so a typo does not silently do nothing.
    func onlyKnown(_ keys: Set<String>) throws {
        guard case .object(let fields) = value else { return }
        if let unknown = fields.first(where: { !keys.contains($0.0) }) {
            throw APIError.invalid("unknown field \(name(unknown.0)); allowed: \(keys.sorted().joined(separator: ", "))")
        }
    }
}
