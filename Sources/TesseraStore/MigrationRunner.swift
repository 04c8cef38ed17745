public import GRDB
public import Logging

/// Applies numbered SQL migrations in order and records each one with its checksum in
/// `schema_migrations`. Refuses a database whose recorded migration differs from the
/// file of the same version (an edited shipped migration), or that has versions this
/// binary does not know (a database written by a newer release).
public struct MigrationRunner: Sendable {
    public let migrations: [Migration]

    public init(migrations: [Migration]) throws(StoreError) {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.version == next.version {
            throw StoreError(.migration, "two migrations share version \(next.version): \(previous.name) and \(next.name)")
        }
        self.migrations = sorted
    }

    /// Applies what is pending, each migration in its own transaction.
    /// - Returns: the names of the migrations applied by this call.
    @discardableResult
    public func run(on writer: any DatabaseWriter, logger: Logger? = nil) throws -> [String] {
        try writer.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    INTEGER PRIMARY KEY NOT NULL,
                    name       TEXT NOT NULL,
                    checksum   TEXT NOT NULL,
                    applied_at TEXT NOT NULL
                )
                """)
        }
        let applied = try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT version, name, checksum FROM schema_migrations ORDER BY version")
        }
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for row in applied {
            let version: Int = row["version"]
            let name: String = row["name"]
            let checksum: String = row["checksum"]
            guard let shipped = known[version] else {
                throw StoreError(.migration, """
                    the database has migration \(name) (version \(version)) which this tessera does not ship; \
                    it was written by a newer release, run that release or restore a backup
                    """)
            }
            guard shipped.checksum == checksum else {
                throw StoreError(.migration, """
                    migration \(shipped.name) differs from the one applied to this database \
                    (applied checksum \(checksum.prefix(12)), file checksum \(shipped.checksum.prefix(12))); \
                    a shipped migration must never be edited: restore the file and add a new numbered migration instead
                    """)
            }
        }
        let done = Set(applied.map { $0["version"] as Int })
        var ran: [String] = []
        for migration in migrations where !done.contains(migration.version) {
            try writer.write { db in
                try db.execute(sql: migration.sql)
                try db.execute(
                    sql: "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
                    arguments: [migration.version, migration.name, migration.checksum, Timestamp.string(Timestamp.now())])
            }
            logger?.info("applied migration", metadata: ["migration": "\(migration.name)"])
            ran.append(migration.name)
        }
        return ran
    }
}
