public import Foundation

/// A known person who can be given room tokens.
public struct User: Sendable, Equatable {
    public var id: String
    public var name: String
    public var displayName: String
    public var createdAt: Date

    public init(id: String = Identifier.make(), name: String, displayName: String? = nil, createdAt: Date = Timestamp.now()) {
        self.id = id
        self.name = name
        self.displayName = displayName ?? name
        self.createdAt = createdAt
    }
}
