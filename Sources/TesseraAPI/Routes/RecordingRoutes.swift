import Foundation
import Hummingbird
import TesseraStore

/// `/v1/recordings` (API.md, Recordings): list, get, delete. Starting, stopping and
/// downloading arrive with the recorder.
struct RecordingRoutes {
    let server: ServerContext

    func add(to group: RouterGroup<APIContext>) {
        group.get("recordings", use: list)
        group.get("recordings/{rid}", use: get)
        group.delete("recordings/{rid}", use: delete)
    }

    @Sendable func list(_ request: Request, context: APIContext) async throws -> Response {
        let recordings = try server.store.recordings(roomId: request.uri.queryParameters.get("room"))
        return .json(.object([("recordings", .array(recordings.map(Representation.recording)))]))
    }

    @Sendable func get(_ request: Request, context: APIContext) async throws -> Response {
        .json(Representation.recording(try server.store.recording(id: try context.parameters.require("rid"))))
    }

    @Sendable func delete(_ request: Request, context: APIContext) async throws -> Response {
        let recording = try server.store.recording(id: try context.parameters.require("rid"))
        if recording.status == .recording {
            throw APIError.conflict("recording \(recording.id) is still running; stop it first")
        }
        try server.store.deleteRecording(id: recording.id)
        let path = (server.dataDirectory as NSString).appendingPathComponent(recording.filePath)
        do {
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        } catch {
            server.logger.error("recording file could not be removed", metadata: ["path": "\(path)", "error": "\(error)"])
        }
        server.logger.info("recording deleted", metadata: ["recording": "\(recording.id)"])
        return Response(status: .noContent)
    }
}
