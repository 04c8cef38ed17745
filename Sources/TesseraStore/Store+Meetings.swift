public import Foundation
import GRDB

extension Store {
    /// Records a participant joining a room: opens the room's meeting if none is open,
    /// then adds the attendance, in one transaction. Returns the meeting id.
    @discardableResult
    public func recordJoin(
        roomId: String, participantId: String, userId: String?, displayName: String, role: ParticipantRole,
        at date: Date = Timestamp.now()
    ) throws -> String {
        try pool.write { db in
            _ = try Store.liveRoom(db, id: roomId)
            let now = Timestamp.string(date)
            let meetingId: String
            if let open = try String.fetchOne(
                db, sql: "SELECT id FROM meetings WHERE room_id = ? AND ended_at IS NULL", arguments: [roomId])
            {
                meetingId = open
                try db.execute(sql: "UPDATE meetings SET last_activity_at = ? WHERE id = ?", arguments: [now, open])
            } else {
                meetingId = Identifier.make()
                try db.execute(
                    sql: "INSERT INTO meetings (id, room_id, started_at, last_activity_at) VALUES (?, ?, ?, ?)",
                    arguments: [meetingId, roomId, now, now])
            }
            let knownUser = try userId.flatMap { id in
                try String.fetchOne(db, sql: "SELECT id FROM users WHERE id = ?", arguments: [id])
            }
            try db.execute(
                sql: """
                    INSERT INTO attendances (participant_id, meeting_id, user_id, display_name, role, joined_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [participantId, meetingId, knownUser, displayName, role.rawValue, now])
            return meetingId
        }
    }

    /// Records a participant leaving; closes the meeting when it was the last one.
    /// Returns true when this leave ended the meeting.
    @discardableResult
    public func recordLeave(participantId: String, reason: LeaveReason, at date: Date = Timestamp.now()) throws -> Bool {
        try pool.write { db in
            let now = Timestamp.string(date)
            guard let meetingId = try String.fetchOne(
                db, sql: "SELECT meeting_id FROM attendances WHERE participant_id = ? AND left_at IS NULL",
                arguments: [participantId])
            else { throw StoreError.notFound("open attendance of participant", participantId) }
            try db.execute(
                sql: "UPDATE attendances SET left_at = ?, leave_reason = ? WHERE participant_id = ?",
                arguments: [now, reason.rawValue, participantId])
            try db.execute(sql: "UPDATE meetings SET last_activity_at = ? WHERE id = ?", arguments: [now, meetingId])
            let stillThere = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM attendances WHERE meeting_id = ? AND left_at IS NULL",
                arguments: [meetingId]) ?? 0
            guard stillThere == 0 else { return false }
            try db.execute(sql: "UPDATE meetings SET ended_at = ? WHERE id = ?", arguments: [now, meetingId])
            return true
        }
    }

    /// Closes what a crash left open: attendances get `shutdown` and every open meeting
    /// ends at its last known activity. Returns the number of meetings closed.
    @discardableResult
    public func closeAbandonedMeetings() throws -> Int {
        try pool.write { db in
            let open = try Row.fetchAll(db, sql: "SELECT id, last_activity_at FROM meetings WHERE ended_at IS NULL")
            for row in open {
                let id: String = row["id"]
                let last: String = row["last_activity_at"]
                try db.execute(
                    sql: "UPDATE attendances SET left_at = ?, leave_reason = 'shutdown' WHERE meeting_id = ? AND left_at IS NULL",
                    arguments: [last, id])
                try db.execute(sql: "UPDATE meetings SET ended_at = ? WHERE id = ?", arguments: [last, id])
            }
            return open.count
        }
    }

    /// Meetings, newest first, optionally of one room.
    public func meetings(roomId: String? = nil, limit: Int = 100) throws -> [Meeting] {
        try pool.read { db in
            let rows: [Row]
            if let roomId {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM meetings WHERE room_id = ? ORDER BY started_at DESC, id LIMIT ?",
                    arguments: [roomId, limit])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM meetings ORDER BY started_at DESC, id LIMIT ?", arguments: [limit])
            }
            return try rows.map { try Store.meeting(db, row: $0) }
        }
    }

    public func meeting(id: String) throws -> Meeting {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM meetings WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound("meeting", id)
            }
            return try Store.meeting(db, row: row)
        }
    }

    /// The id of the room's open meeting, if any.
    public func openMeetingId(roomId: String) throws -> String? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT id FROM meetings WHERE room_id = ? AND ended_at IS NULL", arguments: [roomId])
        }
    }

    static func closeOpenMeetings(_ db: Database, roomId: String, reason: LeaveReason, at now: String) throws {
        for id in try String.fetchAll(db, sql: "SELECT id FROM meetings WHERE room_id = ? AND ended_at IS NULL", arguments: [roomId]) {
            try db.execute(
                sql: "UPDATE attendances SET left_at = ?, leave_reason = ? WHERE meeting_id = ? AND left_at IS NULL",
                arguments: [now, reason.rawValue, id])
            try db.execute(sql: "UPDATE meetings SET ended_at = ?, last_activity_at = ? WHERE id = ?", arguments: [now, now, id])
        }
    }

    static func meeting(_ db: Database, row: Row) throws -> Meeting {
        let id: String = row["id"]
        let attendances = try Row.fetchAll(
            db, sql: "SELECT * FROM attendances WHERE meeting_id = ? ORDER BY joined_at, participant_id", arguments: [id]
        ).map { row in
            guard let role = ParticipantRole(rawValue: row["role"]), let joined = Timestamp.date(row["joined_at"]) else {
                throw StoreError(.migration, "attendance row of meeting \(id) holds values this version cannot read")
            }
            return Attendance(
                participantId: row["participant_id"], meetingId: id, userId: row["user_id"],
                displayName: row["display_name"], role: role, joinedAt: joined,
                leftAt: (row["left_at"] as String?).flatMap(Timestamp.date),
                leaveReason: (row["leave_reason"] as String?).flatMap(LeaveReason.init(rawValue:)))
        }
        guard let started = Timestamp.date(row["started_at"]) else {
            throw StoreError(.migration, "meeting \(id) has an unreadable started_at")
        }
        return Meeting(
            id: id, roomId: row["room_id"], startedAt: started,
            endedAt: (row["ended_at"] as String?).flatMap(Timestamp.date), attendances: attendances)
    }
}
