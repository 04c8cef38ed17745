public import Foundation
import GRDB

extension Store {
    public func insertRecording(_ recording: Recording) throws {
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO recordings (id, room_id, meeting_id, status, started_at, ended_at, duration_ms,
                        size_bytes, format, file_path, failure_reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    recording.id, recording.roomId, recording.meetingId, recording.status.rawValue,
                    Timestamp.string(recording.startedAt), recording.endedAt.map(Timestamp.string),
                    recording.durationMs, recording.sizeBytes, recording.format, recording.filePath,
                    recording.failureReason,
                ])
        }
    }

    /// Recordings, newest first, optionally of one room.
    public func recordings(roomId: String? = nil, limit: Int = 100) throws -> [Recording] {
        try pool.read { db in
            let rows: [Row]
            if let roomId {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM recordings WHERE room_id = ? ORDER BY started_at DESC, id LIMIT ?",
                    arguments: [roomId, limit])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM recordings ORDER BY started_at DESC, id LIMIT ?", arguments: [limit])
            }
            return try rows.map(Recording.init(row:))
        }
    }

    public func recording(id: String) throws -> Recording {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM recordings WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound("recording", id)
            }
            return try Recording(row: row)
        }
    }

    /// The room's recording in progress, if any.
    public func activeRecording(roomId: String) throws -> Recording? {
        try pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM recordings WHERE room_id = ? AND status = 'recording' ORDER BY started_at DESC",
                arguments: [roomId]
            ).map(Recording.init(row:))
        }
    }

    /// Ends a running recording with `status` (completed, failed) and its final numbers;
    /// returns the updated row. A recording that is not running is left alone (409-worthy).
    @discardableResult
    public func finishRecording(
        id: String, status: RecordingStatus, endedAt: Date, durationMs: Int, sizeBytes: Int, failureReason: String? = nil
    ) throws -> Recording {
        try pool.write { db in
            try db.execute(
                sql: """
                    UPDATE recordings SET status = ?, ended_at = ?, duration_ms = ?, size_bytes = ?, failure_reason = ?
                    WHERE id = ? AND status = 'recording'
                    """,
                arguments: [status.rawValue, Timestamp.string(endedAt), durationMs, sizeBytes, failureReason, id])
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM recordings WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound("recording", id)
            }
            return try Recording(row: row)
        }
    }

    /// Recordings a crash or SIGKILL left `recording`: marked `interrupted` (their files are
    /// kept). `measure` gives each one's file size and playable duration in ms as found on
    /// disk (nil: unknown, zeros kept). Returns how many were marked.
    public func interruptRunningRecordings(measure: (Recording) -> (sizeBytes: Int, durationMs: Int)?) throws -> Int {
        try pool.write { db in
            let running = try Row.fetchAll(db, sql: "SELECT * FROM recordings WHERE status = 'recording'").map(Recording.init(row:))
            for recording in running {
                let found = measure(recording)
                let duration = found?.durationMs ?? recording.durationMs
                try db.execute(
                    sql: """
                        UPDATE recordings SET status = 'interrupted', ended_at = ?, duration_ms = ?, size_bytes = ?,
                            failure_reason = 'the server stopped without finishing the file'
                        WHERE id = ?
                        """,
                    arguments: [
                        Timestamp.string(recording.startedAt.addingTimeInterval(Double(duration) / 1000)), duration,
                        found?.sizeBytes ?? recording.sizeBytes, recording.id,
                    ])
            }
            return running.count
        }
    }

    /// Removes the recording's row; the caller removes its file.
    public func deleteRecording(id: String) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM recordings WHERE id = ?", arguments: [id])
            if db.changesCount == 0 { throw StoreError.notFound("recording", id) }
        }
    }
}

extension Recording {
    init(row: Row) throws {
        guard let status = RecordingStatus(rawValue: row["status"]), let started = Timestamp.date(row["started_at"]) else {
            throw StoreError(.migration, "recording row \(row["id"] as String? ?? "?") holds values this version cannot read")
        }
        self.init(
            id: row["id"], roomId: row["room_id"], meetingId: row["meeting_id"], status: status, startedAt: started,
            endedAt: (row["ended_at"] as String?).flatMap(Timestamp.date), durationMs: row["duration_ms"],
            sizeBytes: row["size_bytes"], format: row["format"], filePath: row["file_path"],
            failureReason: row["failure_reason"])
    }
}
