/// Why an SDP offer cannot be answered. `malformed` is a 400 (the text is not SDP);
/// `unacceptable` a 422 (valid SDP that Tessera cannot serve). The message names the problem.
public struct NegotiationError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable { case malformed, unacceptable }
    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
