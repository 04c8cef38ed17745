import Foundation
import GRDB
import Testing
@testable import TesseraStore

@Suite struct MigrationRunnerTests {
    @Test func shippedMigrationsAreEmbeddedInOrder() throws {
        let shipped = try Migration.shipped()
        #expect(shipped.first?.name == "0001_initial.sql")
        #expect(shipped.map(\.version) == shipped.map(\.version).sorted())
        #expect(shipped.first?.sql.contains("CREATE TABLE rooms") == true)
    }

    @Test func freshDatabaseGetsAllMigrationsAndASecondRunNone() throws {
        let directory = try TemporaryDirectory()
        let pool = try DatabasePool(path: directory.databasePath)
        let migrations = try [
            migration("0001_a.sql", "CREATE TABLE a (x INTEGER);"),
            migration("0002_b.sql", "CREATE TABLE b (y INTEGER); INSERT INTO b VALUES (1);"),
        ]
        let runner = try MigrationRunner(migrations: migrations)
        #expect(try runner.run(on: pool) == ["0001_a.sql", "0002_b.sql"])
        #expect(try runner.run(on: pool) == [])
        let rows = try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM b") }
        #expect(rows == 1)
    }

    @Test func onlyNewMigrationsAreAppliedLater() throws {
        let directory = try TemporaryDirectory()
        let pool = try DatabasePool(path: directory.databasePath)
        let first = try migration("0001_a.sql", "CREATE TABLE a (x INTEGER);")
        try MigrationRunner(migrations: [first]).run(on: pool)
        let second = try migration("0002_b.sql", "CREATE TABLE b (y INTEGER);")
        #expect(try MigrationRunner(migrations: [first, second]).run(on: pool) == ["0002_b.sql"])
    }

    @Test func editedShippedMigrationIsRefusedWithAClearMessage() throws {
        let directory = try TemporaryDirectory()
        let pool = try DatabasePool(path: directory.databasePath)
        try MigrationRunner(migrations: [migration("0001_a.sql", "CREATE TABLE a (x INTEGER);")]).run(on: pool)
        let edited = try MigrationRunner(migrations: [migration("0001_a.sql", "CREATE TABLE a (x INTEGER, z TEXT);")])
        let error = #expect(throws: StoreError.self) { try edited.run(on: pool) }
        #expect(error?.kind == .migration)
        #expect(error?.message.contains("0001_a.sql") == true)
        #expect(error?.message.contains("must never be edited") == true)
    }

    @Test func databaseFromANewerReleaseIsRefused() throws {
        let directory = try TemporaryDirectory()
        let pool = try DatabasePool(path: directory.databasePath)
        let first = try migration("0001_a.sql", "CREATE TABLE a (x INTEGER);")
        try MigrationRunner(migrations: [first, migration("0002_b.sql", "CREATE TABLE b (y INTEGER);")]).run(on: pool)
        let error = #expect(throws: StoreError.self) { try MigrationRunner(migrations: [first]).run(on: pool) }
        #expect(error?.message.contains("0002_b.sql") == true)
    }

    @Test func failingMigrationLeavesNothingBehind() throws {
        let directory = try TemporaryDirectory()
        let pool = try DatabasePool(path: directory.databasePath)
        let broken = try MigrationRunner(migrations: [
            migration("0001_a.sql", "CREATE TABLE a (x INTEGER); CREATE TABLE broken (;"),
        ])
        #expect(throws: (any Error).self) { try broken.run(on: pool) }
        let tables = try pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'a'")
        }
        #expect(tables.isEmpty)
        let applied = try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM schema_migrations") }
        #expect(applied == 0)
    }

    @Test(arguments: ["initial.sql", "0001initial.sql", "0001_initial.txt", "0000_zero.sql"])
    func badlyNamedFilesAreRefused(name: String) {
        #expect(throws: StoreError.self) { try migration(name, "SELECT 1;") }
    }

    @Test func duplicateVersionsAreRefused() throws {
        let migrations = try [migration("0001_a.sql", "SELECT 1;"), migration("0001_b.sql", "SELECT 2;")]
        #expect(throws: StoreError.self) { try MigrationRunner(migrations: migrations) }
    }

    @Test func storeRunsShippedMigrationsWithForeignKeysAndWAL() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.databasePath)
        let (foreignKeys, journal) = try store.pool.read { db in
            (try Int.fetchOne(db, sql: "PRAGMA foreign_keys"), try String.fetchOne(db, sql: "PRAGMA journal_mode"))
        }
        #expect(foreignKeys == 1)
        #expect(journal == "wal")
        // Reopening applies nothing and keeps the data.
        _ = try store.createRoom(Room(name: "kept"))
        let reopened = try Store(path: directory.databasePath)
        #expect(try reopened.rooms().map(\.name) == ["kept"])
    }
}
