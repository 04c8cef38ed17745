/// The `<media>` of an `m=` line (RFC 8866 §5.14): `audio`, `video`, `application`, …
public struct SDPMediaKind: RawRepresentable, Sendable, Hashable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let audio = SDPMediaKind(rawValue: "audio")
    public static let video = SDPMediaKind(rawValue: "video")
    public static let application = SDPMediaKind(rawValue: "application")
}
