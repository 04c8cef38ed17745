public import Foundation
public import TesseraMixer
public import TesseraStore

/// The JSON shapes of API.md, field names exactly as documented.
public enum Representation {
    public static func time(_ date: Date?) -> JSONValue { date.map { .string(Timestamp.string($0)) } ?? .null }

    public static func room(_ room: Room) -> JSONValue {
        .object([
            ("id", .string(room.id)),
            ("name", .string(room.name)),
            ("layout", .string(room.layout.rawValue)),
            ("access", .string(room.access.rawValue)),
            ("maxParticipants", .integer(room.maxParticipants)),
            ("autoRecord", .bool(room.autoRecord)),
            ("video", .object([
                ("width", .integer(room.video.width)),
                ("height", .integer(room.video.height)),
                ("fps", .integer(room.video.fps)),
                ("bitrateKbps", .integer(room.video.bitrateKbps)),
            ])),
            ("createdAt", time(room.createdAt)),
        ])
    }

    /// `GET /v1/rooms/{id}`: the room plus what is live in it.
    public static func roomDetail(_ room: Room, participants: [LiveParticipant], meetingId: String?, recording: Recording?) -> JSONValue {
        guard case .object(var fields) = self.room(room) else { return .null }
        fields.append(("participants", .array(participants.map(participant))))
        fields.append(("meetingId", meetingId.map(JSONValue.string) ?? .null))
        fields.append(("recording", recording.map(self.recording) ?? .null))
        return .object(fields)
    }

    public static func user(_ user: User) -> JSONValue {
        .object([
            ("id", .string(user.id)),
            ("name", .string(user.name)),
            ("displayName", .string(user.displayName)),
            ("createdAt", time(user.createdAt)),
        ])
    }

    public static func participant(_ participant: LiveParticipant) -> JSONValue {
        .object([
            ("id", .string(participant.id)),
            ("userId", participant.userId.map(JSONValue.string) ?? .null),
            ("displayName", .string(participant.displayName)),
            ("role", .string(participant.role)),
            ("joinedAt", time(participant.joinedAt)),
            ("audioMuted", .bool(participant.audioMuted)),
            ("videoMuted", .bool(participant.videoMuted)),
            ("speaking", .bool(participant.speaking)),
        ])
    }

    public static func meeting(_ meeting: Meeting) -> JSONValue {
        .object([
            ("id", .string(meeting.id)),
            ("roomId", .string(meeting.roomId)),
            ("startedAt", time(meeting.startedAt)),
            ("endedAt", time(meeting.endedAt)),
            ("attendances", .array(meeting.attendances.map { attendance in
                .object([
                    ("participantId", .string(attendance.participantId)),
                    ("userId", attendance.userId.map(JSONValue.string) ?? .null),
                    ("displayName", .string(attendance.displayName)),
                    ("joinedAt", time(attendance.joinedAt)),
                    ("leftAt", time(attendance.leftAt)),
                    ("leaveReason", attendance.leaveReason.map { .string($0.rawValue) } ?? .null),
                ])
            })),
        ])
    }

    public static func recording(_ recording: Recording) -> JSONValue {
        .object([
            ("id", .string(recording.id)),
            ("roomId", .string(recording.roomId)),
            ("meetingId", recording.meetingId.map(JSONValue.string) ?? .null),
            ("status", .string(recording.status.rawValue)),
            ("startedAt", time(recording.startedAt)),
            ("endedAt", time(recording.endedAt)),
            ("durationMs", .integer(recording.durationMs)),
            ("sizeBytes", .integer(recording.sizeBytes)),
            ("format", .string(recording.format)),
        ])
    }
}
