/// The negotiated mapping between header-extension URIs and local ids (RFC 8285 §5,
/// `a=extmap:<id> <uri>`), with typed read/write helpers.
public struct HeaderExtensionMap: Sendable, Equatable {
    /// Ids usable in either RFC 8285 form (15 only in the two-byte form).
    public static let validIDs: ClosedRange<UInt8> = 1...255

    private var idsByURI: [String: UInt8] = [:]
    private var urisByID: [UInt8: String] = [:]

    public init() {}

    /// Registers each entry; throws like `register`.
    public init(_ entries: [(id: UInt8, uri: String)]) throws(WireError) {
        for entry in entries { try register(id: entry.id, uri: entry.uri) }
    }

    /// Maps `id` to `uri`. Re-registering the same pair is a no-op. Throws `.malformed` for
    /// id 0 or when the id or the URI is already mapped differently.
    public mutating func register(id: UInt8, uri: String) throws(WireError) {
        guard Self.validIDs.contains(id) else { throw WireError(.malformed, "extmap id \(id)") }
        if let existing = urisByID[id] {
            guard existing == uri else { throw WireError(.malformed, "extmap id \(id) already mapped") }
            return
        }
        guard idsByURI[uri] == nil else { throw WireError(.malformed, "extmap URI \(uri) already mapped") }
        idsByURI[uri] = id
        urisByID[id] = uri
    }

    /// Removes the mapping of `id`, if any.
    public mutating func remove(id: UInt8) {
        if let uri = urisByID.removeValue(forKey: id) { idsByURI.removeValue(forKey: uri) }
    }

    public func id(for uri: String) -> UInt8? { idsByURI[uri] }

    public func id<Value: RTPHeaderExtensionValue>(for type: Value.Type) -> UInt8? { idsByURI[Value.uri] }

    public func uri(for id: UInt8) -> String? { urisByID[id] }

    /// All mappings, sorted by id.
    public var entries: [(id: UInt8, uri: String)] {
        urisByID.sorted { $0.key < $1.key }.map { (id: $0.key, uri: $0.value) }
    }

    /// The typed value of `type` in `headerExtension`; nil when unmapped or absent.
    public func value<Value: RTPHeaderExtensionValue>(
        _ type: Value.Type, in headerExtension: RTPHeaderExtension?
    ) throws(WireError) -> Value? {
        guard let headerExtension, let id = idsByURI[Value.uri],
              let data = try headerExtension.element(id: id) else { return nil }
        return try Value(parsing: data)
    }

    /// The element to pass to `RTPHeaderExtension(elements:)`, nil when the URI is unmapped.
    public func element<Value: RTPHeaderExtensionValue>(_ value: Value) -> (id: UInt8, data: [UInt8])? {
        guard let id = idsByURI[Value.uri] else { return nil }
        return (id, value.encoded)
    }
}
