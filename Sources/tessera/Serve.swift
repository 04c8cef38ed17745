import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TesseraAPI

/// `tessera serve`: runs the HTTP API (and, as they land, the media port and room mixers)
/// until SIGTERM or SIGINT, then shuts down gracefully and exits 0.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server.")

    @OptionGroup var options: SettingsOptions

    @Option(name: .long, help: "HTTP listen address. Env: TESSERA_HTTP_HOST. Default: 0.0.0.0")
    var httpHost: String?

    @Option(name: .long, help: "HTTP port. Env: TESSERA_HTTP_PORT. Default: 8080")
    var httpPort: String?

    @Option(name: .long, help: "The one UDP port for all media. Env: TESSERA_MEDIA_PORT. Default: 50000")
    var mediaPort: String?

    @Option(name: .long, help: "Address announced in ICE candidates. Env: TESSERA_PUBLIC_IP. Default: first non-loopback IPv4")
    var publicIP: String?

    @Option(name: .long, help: "Admin bearer key. Env: TESSERA_ADMIN_KEY. Default: generated once into DATA_DIR/admin.key")
    var adminKey: String?

    func run() async throws {
        var flags: [ServerSettings.Key: String] = [:]
        flags[.httpHost] = httpHost
        flags[.httpPort] = httpPort
        flags[.mediaPort] = mediaPort
        flags[.publicIP] = publicIP
        flags[.adminKey] = adminKey
        let settings = try options.resolve(flags: flags)
        let logger = LogSetup.bootstrap()

        let server = try await TesseraServer.prepare(settings: settings, logger: logger)
        if let key = server.generatedAdminKey {
            let path = (settings.dataDirectory as NSString).appendingPathComponent("admin.key")
            print("Generated the admin key, saved to \(path) (mode 0600). It is shown only this once:\n\(key)")
        }
        logger.info(
            "starting tessera",
            metadata: [
                "dataDir": "\(settings.dataDirectory)", "database": "\(settings.databasePath)",
                "http": "\(settings.httpHost):\(settings.httpPort)", "mediaPort": "\(settings.mediaPort)",
                "candidate": "\(settings.candidateAddress)",
                "libraries": "\(TesseraServer.libraryVersions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))",
            ])
        let app = server.application { port in
            logger.info("listening", metadata: ["http": "\(settings.httpHost):\(port)"])
        }
        let group = ServiceGroup(
            configuration: .init(services: [app, server.mediaService], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.info("stopped")
    }
}

enum LogSetup {
    /// Structured logs to stderr; `TESSERA_LOG_LEVEL` (trace … critical) sets the level.
    static func bootstrap() -> Logger {
        let level = ProcessInfo.processInfo.environment["TESSERA_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "tessera")
    }
}
