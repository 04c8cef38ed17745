/// The one error type of TesseraStore: a refused write or a missing record, with the
/// context an operator or API client needs to fix the request.
public struct StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// A field failed validation; `field` names it (e.g. `video.width`).
        case invalidField
        /// The record does not exist (or was deleted).
        case notFound
        /// The write would break a uniqueness or state rule.
        case conflict
        /// The database does not match this binary's migrations.
        case migration
    }

    public let kind: Kind
    public let message: String
    /// The offending field for `.invalidField`.
    public let field: String?

    public init(_ kind: Kind, _ message: String, field: String? = nil) {
        self.kind = kind
        self.message = message
        self.field = field
    }

    public static func invalid(_ field: String, _ message: String) -> StoreError {
        StoreError(.invalidField, message, field: field)
    }

    public static func notFound(_ what: String, _ id: String) -> StoreError {
        StoreError(.notFound, "\(what) \(id) does not exist")
    }

    public var description: String { message }
}
