import ArgumentParser
import Foundation
import TesseraAPI

/// The flags every command shares to find its data dir; resolution as API.md says:
/// flag, then environment variable, then config file, then default.
struct SettingsOptions: ParsableArguments {
    @Option(name: .long, help: "Data directory (SQLite, keys, recordings). Env: TESSERA_DATA_DIR. Default: ./data")
    var dataDir: String?

    @Option(name: .long, help: "JSON config file with dataDir, httpHost, httpPort, mediaPort, publicIP, adminKey. Env: TESSERA_CONFIG")
    var config: String?

    func resolve(flags: [ServerSettings.Key: String] = [:]) throws -> ServerSettings {
        var flagValues = flags
        if let dataDir { flagValues[.dataDir] = dataDir }
        let environment = ProcessInfo.processInfo.environment
        var sources = [
            ServerSettings.Source(values: flagValues, origin: "flags"),
            ServerSettings.environmentSource(environment),
        ]
        if let path = config ?? environment["TESSERA_CONFIG"].flatMap({ $0.isEmpty ? nil : $0 }) {
            sources.append(try ServerSettings.fileSource(path: path))
        }
        do {
            return try ServerSettings.resolve(sources)
        } catch let error as SettingsError {
            throw ValidationError(error.description)
        }
    }
}
