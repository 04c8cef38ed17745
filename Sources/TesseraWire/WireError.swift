/// The one error type of TesseraWire: what was wrong with the bytes and where.
///
/// Parsers throw it; the transport drops the datagram and counts `kind`.
public struct WireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Why the input was refused.
    public enum Kind: String, Equatable, Sendable {
        /// Fewer bytes than a field or a declared length needs.
        case truncated
        /// A field holds a value the format forbids (bad version, bad padding, bad length).
        case malformed
        /// Well formed, but a variant we do not handle.
        case unsupported
        /// Larger than the bound we accept (counts, lengths) to keep allocation bounded.
        case tooLarge
        /// A checksum or message integrity did not match.
        case integrity
    }

    public let kind: Kind
    /// What was being read, e.g. "RTP header extension".
    public let context: String

    public init(_ kind: Kind, _ context: String) {
        self.kind = kind
        self.context = context
    }

    public var description: String { "\(kind.rawValue): \(context)" }
}
