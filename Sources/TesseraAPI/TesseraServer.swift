import Foundation
public import Hummingbird
import HummingbirdCore
public import Logging
import TesseraMedia
import TesseraMixer
import TesseraRecording
import TesseraStore
import TesseraTransport

/// Everything `tessera serve` starts, built from resolved settings: the database (with
/// migrations applied and a crash's leftovers closed), the secrets, and the HTTP application.
public struct TesseraServer: Sendable {
    public let settings: ServerSettings
    public let context: ServerContext
    /// Set when this start generated the admin key (print it once).
    public let generatedAdminKey: String?

    public static func prepare(settings: ServerSettings, logger: Logger) async throws -> TesseraServer {
        let directory = settings.dataDirectory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try Store(path: settings.databasePath, logger: logger)
        let closed = try store.closeAbandonedMeetings()
        if closed > 0 { logger.notice("closed meetings left open by an earlier stop", metadata: ["meetings": "\(closed)"]) }
        let interrupted = try RecordingService.markInterrupted(store: store, dataDirectory: directory)
        if interrupted > 0 {
            logger.notice("recordings left running by an earlier stop are interrupted (files kept)", metadata: ["recordings": "\(interrupted)"])
        }

        var generated: String?
        let adminKey: String
        if let configured = settings.adminKey {
            adminKey = configured
        } else {
            let path = (directory as NSString).appendingPathComponent("admin.key")
            let secret = try SecretFile.readOrCreate(path: path) { SecretFile.randomHex(bytes: 24) }
            adminKey = secret.value
            if secret.created { generated = secret.value }
        }
        let tokenSecretPath = (directory as NSString).appendingPathComponent("token.secret")
        let tokenSecret = try SecretFile.readOrCreate(path: tokenSecretPath) { SecretFile.randomHex(bytes: 32) }.value
        let participants = ParticipantDirectory()
        let events = RoomEvents()
        let port = try await MediaPort.bind(host: settings.mediaBindAddress, port: settings.mediaPort, logger: logger)
        let stopping = ShutdownFlag()
        let rooms = RoomRegistry(
            output: port, clock: { port.now() }, logger: logger,
            onSpeaking: { roomId, participantId, speaking in
                // Published here, not in the task: the room's changes stay in their order.
                events.publish(RoomEvent(.speaking(participantId: participantId, speaking: speaking)), roomId: roomId)
                Task { await participants.setSpeaking(id: participantId, roomId: roomId, speaking: speaking) }
            })
        let recordings = RecordingService(
            store: store, rooms: rooms, dataDirectory: directory, logger: logger,
            onChange: { recording in
                let kind: RoomEvent.Kind =
                    recording.status == .recording ? .recordingStarted(recordingId: recording.id) : .recordingStopped(recordingId: recording.id)
                events.publish(RoomEvent(kind), roomId: recording.roomId)
            })
        let media = MediaContext(
            port: port,
            negotiator: OfferAnswer(
                candidateAddress: settings.candidateAddress, candidatePort: UInt16(port.port),
                fingerprint: port.sdpFingerprint, cname: "tessera-\(Identifier.make().prefix(8))"),
            supervisor: SessionSupervisor(
                store: store, participants: participants, rooms: rooms, events: events, logger: logger,
                roomEmptied: { roomId in await recordings.roomStopped(roomId) }),
            rooms: rooms,
            recordings: recordings,
            isShuttingDown: { stopping.isSet })
        let context = ServerContext(
            store: store, tokens: try await RoomTokens(secret: tokenSecret), participants: participants, events: events,
            adminKey: adminKey,
            dataDirectory: directory, logger: logger, media: media)
        return TesseraServer(
            settings: settings, context: context, generatedAdminKey: generated,
            mediaService: MediaService(media: media, stopping: stopping, logger: logger))
    }

    /// Ends media sessions and closes the UDP port on graceful shutdown.
    public let mediaService: MediaService

    /// The HTTP application; run it in a `ServiceGroup`.
    public func application(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            router: TesseraRouter.build(context),
            server: Self.httpServer(context),
            configuration: .init(address: .hostname(settings.httpHost, port: settings.httpPort), serverName: "tessera"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: context.logger)
    }

    /// HTTP/1.1 with the events WebSocket upgrade (`EventsHTTPChannel`).
    static func httpServer(_ context: ServerContext) -> HTTPServerBuilder {
        let events = EventRoutes(server: context)
        return HTTPServerBuilder { responder in
            EventsHTTPChannel(responder: responder, accept: { await events.accept($0) }, hub: context.events)
        }
    }

    /// Versions of every linked C library, for the start-up log and `tessera version`.
    public static var libraryVersions: [String: String] {
        CodecLibraries.versions.merging(CryptoLibraries.versions) { a, _ in a }
            .merging(ContainerLibraries.versions) { a, _ in a }
    }
}
