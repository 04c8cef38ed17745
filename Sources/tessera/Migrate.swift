import ArgumentParser
import Foundation
import TesseraStore

/// `tessera migrate`: applies pending migrations and exits.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")

    @OptionGroup var options: SettingsOptions

    func run() async throws {
        let settings = try options.resolve()
        try FileManager.default.createDirectory(atPath: settings.dataDirectory, withIntermediateDirectories: true)
        let applied = try StoreCommand.run {
            try MigrationRunner(migrations: try Migration.shipped()).run(on: try Store.openWithoutMigrating(path: settings.databasePath))
        }
        if applied.isEmpty {
            print("\(settings.databasePath) is up to date")
        } else {
            for name in applied { print("applied \(name)") }
        }
    }
}

/// Turns store refusals into a clean error line and exit code for the CLI.
enum StoreCommand {
    static func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw ValidationError(error.message)
        }
    }
}
