public import Foundation

/// The life of a recording file (API.md, Recordings).
public enum RecordingStatus: String, Sendable, Codable, CaseIterable {
    case recording, completed, interrupted, failed
}

/// A recording of a room's mixed stream.
public struct Recording: Sendable, Equatable {
    public var id: String
    public var roomId: String
    public var meetingId: String?
    public var status: RecordingStatus
    public var startedAt: Date
    public var endedAt: Date?
    public var durationMs: Int
    public var sizeBytes: Int
    public var format: String
    /// Relative to the data dir: `recordings/<room>/<id>.webm`.
    public var filePath: String
    public var failureReason: String?

    public init(
        id: String = Identifier.make(), roomId: String, meetingId: String?, status: RecordingStatus = .recording,
        startedAt: Date = Timestamp.now(), endedAt: Date? = nil, durationMs: Int = 0, sizeBytes: Int = 0,
        format: String = "webm", filePath: String? = nil, failureReason: String? = nil
    ) {
        self.id = id
        self.roomId = roomId
        self.meetingId = meetingId
        self.status = status
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.durationMs = durationMs
        self.sizeBytes = sizeBytes
        self.format = format
        self.filePath = filePath ?? "recordings/\(roomId)/\(id).\(format)"
        self.failureReason = failureReason
    }
}
