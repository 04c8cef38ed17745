/// The one error type of TesseraMedia: what went wrong (`kind`, for callers to branch on)
/// and a human-readable `message` with the context (codec, sizes, library error string).
public struct MediaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, coarse enough for a caller to decide (drop and count, retry, give up).
    public enum Kind: Sendable, Equatable {
        /// A codec library returned this error code (its own numbering, e.g. libopus `OPUS_*`).
        case codec(code: Int32)
        /// The input is malformed or out of bounds (bad packet, wrong frame size, too large).
        case badInput
        /// A valid request this build or codec does not support (channel count, sample rate).
        case unsupported
        /// A resource could not be obtained (allocation, handle creation).
        case resource
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public static func codec(code: Int32, _ message: String) -> MediaError { MediaError(.codec(code: code), message) }
    public static func badInput(_ message: String) -> MediaError { MediaError(.badInput, message) }
    public static func unsupported(_ message: String) -> MediaError { MediaError(.unsupported, message) }
    public static func resource(_ message: String) -> MediaError { MediaError(.resource, message) }

    public var description: String {
        switch kind {
        case .codec(let code): "codec error \(code): \(message)"
        case .badInput: "bad input: \(message)"
        case .unsupported: "unsupported: \(message)"
        case .resource: "resource: \(message)"
        }
    }
}
