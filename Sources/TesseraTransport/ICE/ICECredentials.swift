/// The ICE username fragment and password of one side (RFC 8445 §5.3, RFC 8839 §5.4).
public struct ICECredentials: Sendable, Hashable {
    public var ufrag: String
    public var password: String

    public init(ufrag: String, password: String) {
        self.ufrag = ufrag
        self.password = password
    }

    /// Fresh random credentials: 8-character ufrag and 24-character password from the
    /// ice-char set, above the 24-bit / 128-bit randomness RFC 8445 §5.3 asks for.
    public static func random() -> ICECredentials {
        ICECredentials(ufrag: randomICEChars(8), password: randomICEChars(24))
    }

    static let iceChars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    static func randomICEChars(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in iceChars[Int.random(in: 0..<iceChars.count, using: &generator)] })
    }
}
