import Hummingbird
import NIOCore

/// `/healthz`, `/readyz`, `/metrics` (API.md, Operations). No admin key needed.
struct OperationsRoutes {
    let server: ServerContext

    func add(to router: Router<APIContext>) {
        router.get("healthz") { _, _ in Response.json(.object([("status", "ok")])) }
        router.get("readyz", use: ready)
        router.get("metrics", use: metrics)
    }

    @Sendable func ready(_ request: Request, context: APIContext) async throws -> Response {
        guard server.isReady() else {
            return .json(status: .serviceUnavailable, .object([("status", "starting")]))
        }
        return .json(.object([("status", "ready")]))
    }

    @Sendable func metrics(_ request: Request, context: APIContext) async throws -> Response {
        server.metrics.rooms.set(Int64(try server.store.rooms().count))
        server.metrics.participants.set(Int64(await server.participants.count))
        var buffer: [UInt8] = []
        buffer.reserveCapacity(4096)
        server.metrics.registry.emit(into: &buffer)
        buffer.append(contentsOf: Self.eventMetrics(server.events).utf8)
        if let media = server.media {
            buffer.append(contentsOf: TransportMetricsText.render(await media.port.counters(), sessions: await media.port.sessionCount()).utf8)
            buffer.append(contentsOf: MixerMetricsText.render(await media.rooms.statistics()).utf8)
            let recordings = await media.recordings.metrics()
            buffer.append(contentsOf: """
                # HELP tessera_recordings_active Recordings running now
                # TYPE tessera_recordings_active gauge
                tessera_recordings_active \(recordings.running)
                # HELP tessera_recording_bytes_total Bytes of WebM written by this process
                # TYPE tessera_recording_bytes_total counter
                tessera_recording_bytes_total \(recordings.bytes)

                """.utf8)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }

    static func eventMetrics(_ events: RoomEvents) -> String {
        """
        # HELP tessera_event_subscribers Events WebSockets open
        # TYPE tessera_event_subscribers gauge
        tessera_event_subscribers \(events.subscriberCount)
        # HELP tessera_events_dropped_total Events dropped because an events WebSocket read too slowly
        # TYPE tessera_events_dropped_total counter
        tessera_events_dropped_total \(events.droppedCount)

        """
    }
}
