import Foundation
public import GRDB
public import Logging

/// The SQLite database of a Tessera server: one WAL-mode `DatabasePool` with foreign
/// keys on and a busy timeout. Every write is one transaction, so a rejected request
/// changes nothing and a crash loses no committed write.
public final class Store: Sendable {
    public let path: String
    let pool: DatabasePool

    /// Opens (creating if needed) the database file and applies pending migrations.
    public init(path: String, migrations: [Migration]? = nil, logger: Logger? = nil) throws {
        self.path = path
        pool = try Store.openPool(path: path)
        let runner = try MigrationRunner(migrations: try migrations ?? Migration.shipped())
        try runner.run(on: pool, logger: logger)
    }

    /// A pool on the file with Tessera's settings and no migration run (for `tessera migrate`).
    public static func openWithoutMigrating(path: String) throws -> any DatabaseWriter {
        try openPool(path: path)
    }

    private static func openPool(path: String) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.label = "tessera"
        return try DatabasePool(path: path, configuration: configuration)
    }

    /// Opens the database at `DATA_DIR/tessera.sqlite`, creating the directory.
    public static func open(dataDirectory: String, logger: Logger? = nil) throws -> Store {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        return try Store(path: Store.databasePath(dataDirectory: dataDirectory), logger: logger)
    }

    public static func databasePath(dataDirectory: String) -> String {
        (dataDirectory as NSString).appendingPathComponent("tessera.sqlite")
    }

    /// True when the database answers a query (for `/readyz`).
    public func isReady() -> Bool {
        (try? pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }

    /// Every row of every table as SQL text, for tests that prove a request changed nothing.
    public func dump() throws -> String {
        try pool.read { db in
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            var lines: [String] = []
            for table in tables {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\" ORDER BY rowid") {
                    lines.append("\(table): \(row.description)")
                }
            }
            return lines.joined(separator: "\n")
        }
    }
}
