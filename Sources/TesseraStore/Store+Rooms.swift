public import Foundation
import GRDB

extension Store {
    public func createRoom(_ room: Room) throws -> Room {
        try room.validate()
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO rooms (id, name, layout, access, max_participants, auto_record, video_width,
                        video_height, video_fps, video_bitrate_kbps, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    room.id, room.name, room.layout.rawValue, room.access.rawValue, room.maxParticipants,
                    room.autoRecord, room.video.width, room.video.height, room.video.fps, room.video.bitrateKbps,
                    Timestamp.string(room.createdAt),
                ])
        }
        return room
    }

    /// Live rooms, oldest first.
    public func rooms() throws -> [Room] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM rooms WHERE deleted_at IS NULL ORDER BY created_at, id")
                .map(Room.init(row:))
        }
    }

    public func room(id: String) throws -> Room {
        try pool.read { db in try Store.liveRoom(db, id: id) }
    }

    /// Applies `changes` and validates the result in one transaction.
    public func updateRoom(id: String, _ changes: RoomChanges) throws -> Room {
        try pool.write { db in
            let room = changes.applied(to: try Store.liveRoom(db, id: id))
            try room.validate()
            try db.execute(
                sql: """
                    UPDATE rooms SET name = ?, layout = ?, max_participants = ?, auto_record = ?, video_width = ?,
                        video_height = ?, video_fps = ?, video_bitrate_kbps = ? WHERE id = ?
                    """,
                arguments: [
                    room.name, room.layout.rawValue, room.maxParticipants, room.autoRecord, room.video.width,
                    room.video.height, room.video.fps, room.video.bitrateKbps, room.id,
                ])
            return room
        }
    }

    /// Marks the room deleted. Its row stays so that past meetings and recordings keep
    /// their room; open meetings of the room are closed with `room-deleted`.
    public func deleteRoom(id: String, at date: Date = Timestamp.now()) throws {
        try pool.write { db in
            _ = try Store.liveRoom(db, id: id)
            let now = Timestamp.string(date)
            try db.execute(sql: "UPDATE rooms SET deleted_at = ? WHERE id = ?", arguments: [now, id])
            try Store.closeOpenMeetings(db, roomId: id, reason: .roomDeleted, at: now)
        }
    }

    static func liveRoom(_ db: Database, id: String) throws -> Room {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM rooms WHERE id = ? AND deleted_at IS NULL", arguments: [id])
        else { throw StoreError.notFound("room", id) }
        return try Room(row: row)
    }
}

extension Room {
    init(row: Row) throws {
        guard let layout = RoomLayout(rawValue: row["layout"]), let access = RoomAccess(rawValue: row["access"]),
            let created = Timestamp.date(row["created_at"])
        else { throw StoreError(.migration, "room row \(row["id"] as String? ?? "?") holds values this version cannot read") }
        self.init(
            id: row["id"], name: row["name"], layout: layout, access: access, maxParticipants: row["max_participants"],
            autoRecord: row["auto_record"],
            video: VideoSettings(
                width: row["video_width"], height: row["video_height"], fps: row["video_fps"],
                bitrateKbps: row["video_bitrate_kbps"]),
            createdAt: created)
    }
}
