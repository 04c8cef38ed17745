import Logging
public import ServiceLifecycle
import Synchronization
import TesseraTransport

/// Runs beside the HTTP server in the `ServiceGroup`: on graceful shutdown (SIGTERM/SIGINT)
/// it refuses new sessions, ends every live one with `shutdown` (which closes attendances
/// and meetings), then closes the UDP port.
public struct MediaService: Service {
    public let media: MediaContext
    let stopping: ShutdownFlag
    let logger: Logger

    public func run() async throws {
        try? await gracefulShutdown()
        stopping.set()
        logger.info("ending recordings and media sessions for shutdown")
        await media.recordings.stopAll()
        await media.supervisor.endAll(reason: .shutdown)
        await media.rooms.stopAll()
        await media.port.shutdown(reason: .shutdown)
    }
}

/// Set once when shutdown begins; read from any thread.
final class ShutdownFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}
