import Foundation

/// A secret kept in the data dir (`admin.key`, `token.secret`): created once with mode
/// 0600, read on every later start.
public enum SecretFile {
    /// Reads the trimmed secret at `path`, or creates it with `generate()`.
    /// - Returns: the secret and whether this call created it.
    public static func readOrCreate(path: String, generate: () -> String) throws -> (value: String, created: Bool) {
        if let data = FileManager.default.contents(atPath: path),
            let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty
        {
            return (text, false)
        }
        let value = generate()
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(fd) }
        fchmod(fd, 0o600)
        let bytes = Array((value + "\n").utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        return (value, true)
    }

    /// `count` random bytes as lowercase hex.
    public static func randomHex(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
    }
}
