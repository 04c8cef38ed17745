/// One direction's SRTP master key and master salt (RFC 3711 §3.2.1).
///
/// Descriptions never print the bytes, so the keys cannot leak into logs.
public struct SRTPMasterKeys: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public var key: [UInt8]
    public var salt: [UInt8]

    public init(key: [UInt8], salt: [UInt8]) {
        self.key = key
        self.salt = salt
    }

    public var description: String { "SRTPMasterKeys(key: \(key.count) bytes, salt: \(salt.count) bytes)" }
    public var debugDescription: String { description }

    /// Whether the lengths fit `profile`.
    func fits(_ profile: SRTPProfile) -> Bool {
        key.count == profile.masterKeyLength && salt.count == profile.masterSaltLength
    }
}
