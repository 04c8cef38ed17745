/// The MID header extension (RFC 8843 §15, RFC 7941 SDES item in RTP header extension):
/// the media identification tag as text, without terminator.
///
/// Accepted: 1...255 bytes of printable ASCII (0x21...0x7E), the `token` characters of SDP
/// being a subset. (The one-byte form can only carry 1...16 bytes.)
public struct MidExtension: RTPHeaderExtensionValue {
    public static let uri = HeaderExtensionURI.mid
    public static let maxLength = 255

    public let value: String

    /// Throws `.malformed` for an empty, over-long or non-printable-ASCII MID.
    public init(_ value: String) throws(WireError) {
        try Self.validate(value.utf8)
        self.value = value
    }

    public init(parsing data: ArraySlice<UInt8>) throws(WireError) {
        try Self.validate(data)
        self.value = String(decoding: data, as: UTF8.self)
    }

    public var encoded: [UInt8] { Array(value.utf8) }

    private static func validate<C: Collection<UInt8>>(_ bytes: C) throws(WireError) {
        guard (1...maxLength).contains(bytes.count) else {
            throw WireError(.malformed, "MID length \(bytes.count)")
        }
        guard bytes.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw WireError(.malformed, "MID characters")
        }
    }
}
