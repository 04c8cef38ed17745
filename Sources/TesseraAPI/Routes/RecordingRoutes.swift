import Foundation
import Hummingbird
import TesseraStore

/// `/v1/recordings` (API.md, Recordings): start, stop, list, get, download, delete.
struct RecordingRoutes {
    let server: ServerContext

    func add(to group: RouterGroup<APIContext>) {
        group.post("rooms/{id}/recordings", use: start)
        group.post("recordings/{rid}/stop", use: stop)
        group.get("recordings", use: list)
        group.get("recordings/{rid}", use: get)
        group.get("recordings/{rid}/file", use: file)
        group.delete("recordings/{rid}", use: delete)
    }

    private var recordings: RecordingService {
        get throws {
            guard let media = server.media else {
                throw APIError(.serviceUnavailable, "media_unavailable", "the media port is not running")
            }
            return media.recordings
        }
    }

    /// 201 with the new recording (API.md: id, roomId, meetingId, status, startedAt).
    @Sendable func start(_ request: Request, context: APIContext) async throws -> Response {
        let room = try server.store.room(id: try context.parameters.require("id"))
        let recording = try await recordings.start(room: room)
        return .json(
            status: .created,
            .object([
                ("id", .string(recording.id)), ("roomId", .string(recording.roomId)),
                ("meetingId", recording.meetingId.map(JSONValue.string) ?? .null), ("status", .string(recording.status.rawValue)),
                ("startedAt", Representation.time(recording.startedAt)),
            ]))
    }

    @Sendable func stop(_ request: Request, context: APIContext) async throws -> Response {
        .json(Representation.recording(try await recordings.stop(id: try context.parameters.require("rid"))))
    }

    @Sendable func list(_ request: Request, context: APIContext) async throws -> Response {
        let recordings = try server.store.recordings(roomId: request.uri.queryParameters.get("room"))
        return .json(.object([("recordings", .array(recordings.map(Representation.recording)))]))
    }

    @Sendable func get(_ request: Request, context: APIContext) async throws -> Response {
        .json(Representation.recording(try server.store.recording(id: try context.parameters.require("rid"))))
    }

    /// The WebM file, whole or one byte range (RFC 9110: 206 with Content-Range, 416
    /// outside the file). A running recording's file is served as far as it is written.
    @Sendable func file(_ request: Request, context: APIContext) async throws -> Response {
        let recording = try server.store.recording(id: try context.parameters.require("rid"))
        let path = (server.dataDirectory as NSString).appendingPathComponent(recording.filePath)
        guard let size = RecordingService.fileSize(path) else {
            throw APIError.notFound("the file of recording \(recording.id) is missing")
        }
        var headers: HTTPFields = [
            .contentType: "video/webm",
            .acceptRanges: "bytes",
            .contentDisposition: "attachment; filename=\"\(recording.roomId)-\(recording.id).webm\"",
        ]
        let range = ByteRange(header: request.headers[.range], size: size)
        switch range {
        case .unsatisfiable:
            throw APIError(
                .rangeNotSatisfiable, "range_not_satisfiable", "the range is outside the file's \(size) bytes",
                headers: [.contentRange: "bytes */\(size)"])
        case .whole:
            headers[.contentLength] = "\(size)"
            let body = size == 0 ? ResponseBody() : try await FileIO().loadFile(path: path, range: 0...(size - 1), context: context)
            return Response(status: .ok, headers: headers, body: body)
        case .part(let bytes):
            headers[.contentLength] = "\(bytes.count)"
            headers[.contentRange] = "bytes \(bytes.lowerBound)-\(bytes.upperBound)/\(size)"
            let body = try await FileIO().loadFile(path: path, range: bytes, context: context)
            return Response(status: .partialContent, headers: headers, body: body)
        }
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
