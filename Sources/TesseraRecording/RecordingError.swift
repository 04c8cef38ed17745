/// The one error type of TesseraRecording: what went wrong (`kind`, for the caller to mark a
/// recording `failed` or refuse to start it) and a `message` with the path and, when libav
/// reported the failure, its error string (`av_strerror`).
public struct RecordingError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The file could not be created (missing directory, no permission).
        case open
        /// Writing to the file failed (disk full, I/O error); what was flushed before stays playable.
        case write
        /// libavformat refused the stream setup or an option.
        case muxer
        /// The caller asked for something invalid: no stream, a bad size, a write after `finish()`.
        case badInput
        /// An allocation failed.
        case resource
    }

    public let kind: Kind
    /// The libav error code (a negative `AVERROR`), when libav reported the failure.
    public let code: Int32?
    public let message: String

    public init(_ kind: Kind, code: Int32? = nil, _ message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    public var description: String {
        let prefix = switch kind {
        case .open: "cannot open recording"
        case .write: "recording write failed"
        case .muxer: "muxer error"
        case .badInput: "bad input"
        case .resource: "resource"
        }
        return "\(prefix): \(message)"
    }
}
