import Foundation
public import Logging
public import TesseraMixer
import TesseraRecording
public import TesseraStore

/// The recorder a room feeds: a WebM writer of the room's own packets.
final class RecordingSink: MixRecorder, @unchecked Sendable {
    // @unchecked: while the room records, only its thread calls the record methods; the
    // room lets go of the sink (an actor hop, so happens-before) before `RecordingService`
    // finishes the writer.
    let writer: WebMWriter

    init(writer: WebMWriter) {
        self.writer = writer
    }

    func recordVideo(_ data: [UInt8], isKeyframe: Bool, at time: Duration) throws {
        try writer.writeVideo(data, isKeyframe: isKeyframe, timestamp: time)
    }

    func recordAudio(_ data: [UInt8], at time: Duration) throws {
        try writer.writeAudio(data, timestamp: time)
    }
}

/// Starts and stops recordings of rooms' mixes (API.md, Recordings; issue 5): the room's
/// encoded composite and shared full mix muxed into `DATA_DIR/recordings/<room>/<id>.webm`,
/// with the row in SQLite following the file: `recording`, then `completed`, `failed` (a
/// write error, with the reason; the meeting goes on) or, after a crash, `interrupted`.
public actor RecordingService {
    private let store: Store
    private let rooms: RoomRegistry
    private let dataDirectory: String
    private let logger: Logger
    private var running: [String: (roomId: String, sink: RecordingSink)] = [:]
    /// Bytes of the recordings this process finished.
    private var finishedBytes = 0
    /// Called when a recording starts or ends (the events WebSocket).
    private let onChange: @Sendable (Recording) -> Void

    public init(
        store: Store, rooms: RoomRegistry, dataDirectory: String, logger: Logger,
        onChange: @escaping @Sendable (Recording) -> Void = { _ in }
    ) {
        self.store = store
        self.rooms = rooms
        self.dataDirectory = dataDirectory
        self.logger = logger
        self.onChange = onChange
    }

    private func absolute(_ relative: String) -> String {
        (dataDirectory as NSString).appendingPathComponent(relative)
    }

    /// Starts recording the room's live meeting (409 without one, or when one runs).
    public func start(room: Room) async throws -> Recording {
        if let active = try store.activeRecording(roomId: room.id) {
            throw APIError.conflict("room \(room.id) is already recording (\(active.id))")
        }
        guard let meetingId = try store.openMeetingId(roomId: room.id) else {
            throw APIError.conflict("room \(room.id) has no live meeting: a recording starts once someone has joined")
        }
        var recording = Recording(roomId: room.id, meetingId: meetingId)
        let path = absolute(recording.filePath)
        let writer: WebMWriter
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            writer = try WebMWriter(path: path, video: (room.video.width, room.video.height), audio: true)
        } catch {
            // Kept as a failed recording, so the admin sees why.
            recording.status = .failed
            recording.endedAt = Timestamp.now()
            recording.failureReason = "\(error)"
            try store.insertRecording(recording)
            logger.error("recording could not start", metadata: ["room": "\(room.id)", "recording": "\(recording.id)", "error": "\(error)"])
            throw APIError(.internalServerError, "recording_failed", "the recording file could not be created: \(error)")
        }
        try store.insertRecording(recording)
        let sink = RecordingSink(writer: writer)
        running[recording.id] = (room.id, sink)
        let id = recording.id
        let started = await rooms.startRecording(roomId: room.id, sink) { [weak self] end in
            Task { _ = try? await self?.finalize(id, end) }
        }
        guard started else {
            running[id] = nil
            try? writer.finish()
            try? FileManager.default.removeItem(atPath: path)
            try store.deleteRecording(id: id)
            throw APIError.conflict("room \(room.id) has no running mixer to record")
        }
        logger.info("recording started", metadata: ["room": "\(room.id)", "recording": "\(id)", "path": "\(path)"])
        onChange(recording)
        return recording
    }

    /// Stops a running recording and returns it completed (409 if it is not running).
    public func stop(id: String) async throws -> Recording {
        let recording = try store.recording(id: id)
        guard recording.status == .recording, running[id] != nil else {
            throw APIError.conflict("recording \(id) is not running (\(recording.status.rawValue))")
        }
        _ = await rooms.stopRecording(roomId: recording.roomId)
        return try finalize(id, .stopped)
    }

    /// Starts recording an `autoRecord` room whose meeting just began.
    public func autoStart(room: Room) async {
        guard room.autoRecord, running.values.allSatisfy({ $0.roomId != room.id }) else { return }
        do {
            _ = try await start(room: room)
        } catch {
            logger.error("automatic recording did not start", metadata: ["room": "\(room.id)", "error": "\(error)"])
        }
    }

    /// Finishes the recording of a room whose mixer stopped (its last participant left),
    /// without waiting for the room's own end callback to get its turn.
    public func roomStopped(_ roomId: String) {
        for (id, entry) in running where entry.roomId == roomId { _ = try? finalize(id, .roomStopped) }
    }

    /// Stops every running recording cleanly (graceful shutdown, before sessions end).
    public func stopAll() async {
        for (id, entry) in running {
            _ = await rooms.stopRecording(roomId: entry.roomId)
            _ = try? finalize(id, .stopped)
        }
    }

    /// Closes the file and writes the row's final state; the first call for a recording
    /// wins (stop and the room's own end may both arrive).
    @discardableResult
    func finalize(_ id: String, _ end: RecordingEnd) throws -> Recording {
        guard let entry = running.removeValue(forKey: id) else { return try store.recording(id: id) }
        var status = RecordingStatus.completed
        var reason: String?
        if case .failed(let why) = end {
            status = .failed
            reason = why
        }
        do {
            try entry.sink.writer.finish()
        } catch {
            if status == .completed {
                status = .failed
                reason = "\(error)"
            }
        }
        let size = Self.fileSize(entry.sink.writer.path) ?? 0
        finishedBytes += size
        let recording = try store.finishRecording(
            id: id, status: status, endedAt: Timestamp.now(), durationMs: Int(entry.sink.writer.duration / .milliseconds(1)),
            sizeBytes: size, failureReason: reason)
        let metadata: Logger.Metadata = [
            "room": "\(entry.roomId)", "recording": "\(id)", "status": "\(status.rawValue)", "durationMs": "\(recording.durationMs)",
            "sizeBytes": "\(size)", "reason": "\(reason ?? "-")",
        ]
        if status == .failed { logger.error("recording failed", metadata: metadata) } else { logger.info("recording stopped", metadata: metadata) }
        onChange(recording)
        return recording
    }

    /// For `/metrics`: running recordings, and bytes written by this process (running
    /// files are measured on disk, never read from a writer the room thread is using).
    public func metrics() -> (running: Int, bytes: Int) {
        (running.count, finishedBytes + running.values.reduce(0) { $0 + (Self.fileSize($1.sink.writer.path) ?? 0) })
    }

    static func fileSize(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
    }

    /// At start-up: recordings a crash or SIGKILL left running become `interrupted`, with the
    /// size of their file and the time it was last written as their end.
    public static func markInterrupted(store: Store, dataDirectory: String) throws -> Int {
        try store.interruptRunningRecordings { recording in
            let path = (dataDirectory as NSString).appendingPathComponent(recording.filePath)
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  let size = (attributes[.size] as? NSNumber)?.intValue, let modified = attributes[.modificationDate] as? Date
            else { return nil }
            return (size, max(0, Int(modified.timeIntervalSince(recording.startedAt) * 1000)))
        }
    }
}
