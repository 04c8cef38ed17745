public import Foundation
public import TesseraStore

/// One message of a room's events WebSocket (API.md, Events): what happened and when.
public struct RoomEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case participantJoined(participantId: String, displayName: String, role: ParticipantRole)
        case participantLeft(participantId: String, reason: LeaveReason)
        case speaking(participantId: String, speaking: Bool)
        /// The participant's mute flags after a change (by the admin or by itself).
        case participantMuted(participantId: String, audioMuted: Bool, videoMuted: Bool)
        case layoutChanged(RoomLayout)
        case recordingStarted(recordingId: String)
        case recordingStopped(recordingId: String)
        case meetingEnded(meetingId: String)
    }

    public let kind: Kind
    /// When it happened, on a whole millisecond (the `at` field).
    public let at: Date

    public init(_ kind: Kind, at: Date = Timestamp.now()) {
        self.kind = kind
        self.at = Timestamp.whole(at)
    }

    /// The `type` field.
    public var type: String {
        switch kind {
        case .participantJoined: "participant-joined"
        case .participantLeft: "participant-left"
        case .speaking: "speaking"
        case .participantMuted: "participant-muted"
        case .layoutChanged: "layout-changed"
        case .recordingStarted: "recording-started"
        case .recordingStopped: "recording-stopped"
        case .meetingEnded: "meeting-ended"
        }
    }

    /// The message: `{"type", "at", …the kind's fields}`.
    public var json: JSONValue {
        var fields: [(String, JSONValue)] = [("type", .string(type)), ("at", .string(Timestamp.string(at)))]
        switch kind {
        case .participantJoined(let participantId, let displayName, let role):
            fields += [("participantId", .string(participantId)), ("displayName", .string(displayName)), ("role", .string(role.rawValue))]
        case .participantLeft(let participantId, let reason):
            fields += [("participantId", .string(participantId)), ("reason", .string(reason.rawValue))]
        case .speaking(let participantId, let speaking):
            fields += [("participantId", .string(participantId)), ("speaking", .bool(speaking))]
        case .participantMuted(let participantId, let audioMuted, let videoMuted):
            fields += [("participantId", .string(participantId)), ("audioMuted", .bool(audioMuted)), ("videoMuted", .bool(videoMuted))]
        case .layoutChanged(let layout):
            fields += [("layout", .string(layout.rawValue))]
        case .recordingStarted(let recordingId), .recordingStopped(let recordingId):
            fields += [("recordingId", .string(recordingId))]
        case .meetingEnded(let meetingId):
            fields += [("meetingId", .string(meetingId))]
        }
        return .object(fields)
    }
}
