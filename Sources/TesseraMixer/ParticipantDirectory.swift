public import Foundation

/// A participant connected to a room right now.
public struct LiveParticipant: Sendable, Equatable {
    public let id: String
    public let roomId: String
    public let userId: String?
    public let displayName: String
    public let role: String
    public let joinedAt: Date
    public var audioMuted: Bool
    public var videoMuted: Bool
    public var speaking: Bool

    public init(
        id: String, roomId: String, userId: String?, displayName: String, role: String, joinedAt: Date,
        audioMuted: Bool = false, videoMuted: Bool = false, speaking: Bool = false
    ) {
        self.id = id
        self.roomId = roomId
        self.userId = userId
        self.displayName = displayName
        self.role = role
        self.joinedAt = joinedAt
        self.audioMuted = audioMuted
        self.videoMuted = videoMuted
        self.speaking = speaking
    }
}

/// Who is connected to which room, in join order. Media sessions add and remove
/// participants; the REST API reads, mutes and kicks through it.
public actor ParticipantDirectory {
    /// What a kick or a room deletion asks the participant's session to do.
    public typealias Disconnect = @Sendable (_ reason: String) async -> Void

    private struct Entry {
        var participant: LiveParticipant
        let disconnect: Disconnect
    }

    private var rooms: [String: [Entry]] = [:]

    public init() {}

    public func add(_ participant: LiveParticipant, disconnect: @escaping Disconnect) {
        rooms[participant.roomId, default: []].append(Entry(participant: participant, disconnect: disconnect))
    }

    /// Removes the participant; returns it if it was there.
    @discardableResult
    public func remove(id: String, roomId: String) -> LiveParticipant? {
        guard let index = rooms[roomId]?.firstIndex(where: { $0.participant.id == id }) else { return nil }
        let entry = rooms[roomId]?.remove(at: index)
        if rooms[roomId]?.isEmpty == true { rooms[roomId] = nil }
        return entry?.participant
    }

    public func participants(roomId: String) -> [LiveParticipant] {
        rooms[roomId]?.map(\.participant) ?? []
    }

    public var count: Int { rooms.values.reduce(0) { $0 + $1.count } }

    /// Sets the mute flags given; returns the updated participant, nil if unknown.
    public func setMuted(id: String, roomId: String, audio: Bool?, video: Bool?) -> LiveParticipant? {
        guard let index = rooms[roomId]?.firstIndex(where: { $0.participant.id == id }) else { return nil }
        if let audio { rooms[roomId]?[index].participant.audioMuted = audio }
        if let video { rooms[roomId]?[index].participant.videoMuted = video }
        return rooms[roomId]?[index].participant
    }

    /// The mixer's voice activity for the participant (the `speaking` field).
    public func setSpeaking(id: String, roomId: String, speaking: Bool) {
        guard let index = rooms[roomId]?.firstIndex(where: { $0.participant.id == id }) else { return }
        rooms[roomId]?[index].participant.speaking = speaking
    }

    /// Asks the participant's session to end with `reason` (kick); false if unknown.
    public func disconnect(id: String, roomId: String, reason: String) async -> Bool {
        guard let entry = rooms[roomId]?.first(where: { $0.participant.id == id }) else { return false }
        await entry.disconnect(reason)
        return true
    }

    /// Ends every session of the room (room deleted, shutdown).
    public func disconnectAll(roomId: String, reason: String) async {
        for entry in rooms[roomId] ?? [] { await entry.disconnect(reason) }
    }
}
