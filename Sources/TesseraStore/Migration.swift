import Crypto

/// One numbered SQL file of `Migrations/` (`0001_initial.sql`): applied once, in order,
/// and never edited after it shipped. The checksum detects an edited file.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String
    /// SHA-256 of the file's bytes, lowercase hex.
    public let checksum: String

    /// `name` must start with the version digits followed by `_`, e.g. `0002_recordings.sql`.
    public init(name: String, bytes: [UInt8]) throws(StoreError) {
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let version = Int(digits), version > 0,
            name.dropFirst(digits.count).hasPrefix("_"), name.hasSuffix(".sql")
        else {
            throw StoreError(.migration, "migration file \(name) is not named NNNN_description.sql")
        }
        guard let sql = String(validating: bytes, as: UTF8.self) else {
            throw StoreError(.migration, "migration file \(name) is not UTF-8")
        }
        self.version = version
        self.name = name
        self.sql = sql
        self.checksum = SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The migrations built into this binary from `Migrations/*.sql`, in version order.
    public static func shipped() throws(StoreError) -> [Migration] {
        var result: [Migration] = []
        for file in EmbeddedMigrations.all {
            result.append(try Migration(name: file.name, bytes: file.bytes))
        }
        return result.sorted { $0.version < $1.version }
    }
}
