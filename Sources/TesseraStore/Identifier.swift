import Foundation

/// Record identifiers: random, lowercase, URL-safe.
public enum Identifier {
    public static func make() -> String { UUID().uuidString.lowercased() }
}
