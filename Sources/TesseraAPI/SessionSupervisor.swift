import Foundation
public import Logging
public import TesseraMixer
public import TesseraStore
public import TesseraTransport

/// Keeps the participant directory and the meeting records in step with media sessions:
/// a session that joins is a participant and an attendance; when it ends, for whatever
/// reason, both are closed with the matching `leaveReason`.
public actor SessionSupervisor {
    private let store: Store
    private let participants: ParticipantDirectory
    private let rooms: RoomRegistry
    private let logger: Logger
    private var watchers: [String: Task<Void, Never>] = [:]
    private var roomOfSession: [String: String] = [:]
    private var sessions: [String: PeerSession] = [:]

    public init(store: Store, participants: ParticipantDirectory, rooms: RoomRegistry, logger: Logger) {
        self.store = store
        self.participants = participants
        self.rooms = rooms
        self.logger = logger
    }

    /// Registers a joined session and watches it until it ends.
    func track(_ session: PeerSession, room: Room, identity: MediaIdentity, joinedAt: Date) async throws {
        try store.recordJoin(
            roomId: room.id, participantId: session.id, userId: identity.userId, displayName: identity.displayName,
            role: identity.role, at: joinedAt)
        await participants.add(
            LiveParticipant(
                id: session.id, roomId: room.id, userId: identity.userId, displayName: identity.displayName,
                role: identity.role.rawValue, joinedAt: joinedAt),
            disconnect: { reason in await session.close(CloseReason(rawValue: reason) ?? .kicked) })
        sessions[session.id] = session
        roomOfSession[session.id] = room.id
        // Waits on the close signal, not the events stream: that one belongs to the room.
        // Watching starts first, so a session the room cannot take (the caller closes it)
        // is still recorded as gone.
        watchers[session.id] = Task { [weak self] in
            let reason = await session.closed()
            await self?.ended(session.id, reason: reason)
        }
        try await rooms.join(
            roomId: room.id, settings: MixerSettings(room), session: session,
            as: MixerParticipant(id: session.id, isPublisher: identity.role == .publisher, negotiation: session.negotiation))
        logger.info(
            "participant joined",
            metadata: ["room": "\(room.id)", "participant": "\(session.id)", "name": "\(identity.displayName)", "role": "\(identity.role.rawValue)"])
    }

    /// The session with `id` in `roomId`, if it is live.
    func session(id: String, roomId: String) -> PeerSession? {
        roomOfSession[id] == roomId ? sessions[id] : nil
    }

    /// Closes the session and returns once its leave is recorded.
    func end(id: String, reason: CloseReason) async {
        guard let session = sessions[id], let watcher = watchers[id] else { return }
        await session.close(reason)
        await watcher.value
    }

    /// Ends every session (server shutdown) and waits for the records.
    public func endAll(reason: CloseReason) async {
        for id in Array(sessions.keys) { await end(id: id, reason: reason) }
    }

    private func ended(_ id: String, reason: CloseReason) async {
        guard let roomId = roomOfSession.removeValue(forKey: id) else { return }
        sessions[id] = nil
        watchers[id] = nil
        await rooms.leave(roomId: roomId, participantId: id)
        await participants.remove(id: id, roomId: roomId)
        let leave: LeaveReason =
            switch reason {
            case .left: .left
            case .kicked: .kicked
            case .timeout, .dtlsFailed: .timeout
            case .roomDeleted: .roomDeleted
            case .shutdown: .shutdown
            }
        do {
            let ended = try store.recordLeave(participantId: id, reason: leave)
            logger.info(
                "participant left",
                metadata: ["room": "\(roomId)", "participant": "\(id)", "reason": "\(leave.rawValue)", "meetingEnded": "\(ended)"])
        } catch let error as StoreError where error.kind == .notFound {
            // The room was deleted: its meeting was already closed with room-deleted.
        } catch {
            logger.error("could not record a leave", metadata: ["participant": "\(id)", "error": "\(error)"])
        }
    }
}
