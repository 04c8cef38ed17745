public import Foundation

/// How a room's mix is laid out (API.md, Rooms).
public enum RoomLayout: String, Sendable, Codable, CaseIterable {
    case grid, speaker
}

/// Who may join: holders of a room token, or anyone (`open`, display name from `?name=`).
public enum RoomAccess: String, Sendable, Codable, CaseIterable {
    case token, open
}

/// The mixed video a room produces.
public struct VideoSettings: Sendable, Equatable, Codable {
    public var width: Int
    public var height: Int
    public var fps: Int
    public var bitrateKbps: Int

    public static let standard = VideoSettings(width: 1280, height: 720, fps: 30, bitrateKbps: 1500)

    public init(width: Int, height: Int, fps: Int, bitrateKbps: Int) {
        self.width = width
        self.height = height
        self.fps = fps
        self.bitrateKbps = bitrateKbps
    }
}

/// A conference room.
public struct Room: Sendable, Equatable {
    public var id: String
    public var name: String
    public var layout: RoomLayout
    public var access: RoomAccess
    public var maxParticipants: Int
    public var autoRecord: Bool
    public var video: VideoSettings
    public var createdAt: Date

    public init(
        id: String = Identifier.make(), name: String, layout: RoomLayout = .grid, access: RoomAccess = .token,
        maxParticipants: Int = 16, autoRecord: Bool = false, video: VideoSettings = .standard,
        createdAt: Date = Timestamp.now()
    ) {
        self.id = id
        self.name = name
        self.layout = layout
        self.access = access
        self.maxParticipants = maxParticipants
        self.autoRecord = autoRecord
        self.video = video
        self.createdAt = createdAt
    }
}

/// A partial update of a room (`PATCH /v1/rooms/{id}`); nil leaves a field as it is.
public struct RoomChanges: Sendable, Equatable {
    public var name: String?
    public var layout: RoomLayout?
    public var maxParticipants: Int?
    public var autoRecord: Bool?
    public var videoWidth: Int?
    public var videoHeight: Int?
    public var videoFPS: Int?
    public var videoBitrateKbps: Int?

    public init() {}

    public func applied(to room: Room) -> Room {
        var room = room
        if let name { room.name = name }
        if let layout { room.layout = layout }
        if let maxParticipants { room.maxParticipants = maxParticipants }
        if let autoRecord { room.autoRecord = autoRecord }
        if let videoWidth { room.video.width = videoWidth }
        if let videoHeight { room.video.height = videoHeight }
        if let videoFPS { room.video.fps = videoFPS }
        if let videoBitrateKbps { room.video.bitrateKbps = videoBitrateKbps }
        return room
    }
}
