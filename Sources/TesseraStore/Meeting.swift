public import Foundation

/// Why an attendance ended (API.md, Meetings).
public enum LeaveReason: String, Sendable, Codable, CaseIterable {
    case left, kicked, timeout
    case roomDeleted = "room-deleted"
    case shutdown
}

/// Whether a participant sends media into the mix or only watches it.
public enum ParticipantRole: String, Sendable, Codable, CaseIterable {
    case publisher, viewer
}

/// One join of a participant into a meeting.
public struct Attendance: Sendable, Equatable {
    public var participantId: String
    public var meetingId: String
    public var userId: String?
    public var displayName: String
    public var role: ParticipantRole
    public var joinedAt: Date
    public var leftAt: Date?
    public var leaveReason: LeaveReason?

    public init(
        participantId: String, meetingId: String, userId: String?, displayName: String, role: ParticipantRole,
        joinedAt: Date, leftAt: Date? = nil, leaveReason: LeaveReason? = nil
    ) {
        self.participantId = participantId
        self.meetingId = meetingId
        self.userId = userId
        self.displayName = displayName
        self.role = role
        self.joinedAt = joinedAt
        self.leftAt = leftAt
        self.leaveReason = leaveReason
    }
}

/// A meeting: from the first participant joining a room to the last one leaving.
public struct Meeting: Sendable, Equatable {
    public var id: String
    public var roomId: String
    public var startedAt: Date
    public var endedAt: Date?
    public var attendances: [Attendance]
}
