import Foundation
public import Logging
public import TesseraMixer
public import TesseraStore
public import TesseraTransport

/// Keeps the participant directory and the meeting records in step with media sessions:
/// a session that joins is a participant and an attendance; when it ends, for whatever
/// reason, both are closed with the matching `leaveReason`. The room's events socket hears
/// of both, and of the end of the meeting when the last one leaves.
public actor SessionSupervisor {
    private let store: Store
    private let participants: ParticipantDirectory
    private let rooms: RoomRegistry
    private let events: RoomEvents
    private let logger: Logger
    private var watchers: [String: Task<Void, Never>] = [:]
    private var roomOfSession: [String: String] = [:]
    private var sessions: [String: PeerSession] = [:]
    private var meetingOfSession: [String: String] = [:]
    /// The secret key of each session's URL, by session (participant) id.
    private var keyOfSession: [String: SessionKey] = [:]
    /// Runs when a room's last participant has left, before `meeting-ended` is published
    /// (the recording of the meeting is finished first, so `recording-stopped` precedes it).
    private let roomEmptied: @Sendable (_ roomId: String) async -> Void

    public init(
        store: Store, participants: ParticipantDirectory, rooms: RoomRegistry, events: RoomEvents, logger: Logger,
        roomEmptied: @escaping @Sendable (_ roomId: String) async -> Void = { _ in }
    ) {
        self.store = store
        self.participants = participants
        self.rooms = rooms
        self.events = events
        self.logger = logger
        self.roomEmptied = roomEmptied
    }

    /// Registers a joined session, reachable by `key` (its URL), and watches it until it ends.
    func track(_ session: PeerSession, key: SessionKey, room: Room, identity: MediaIdentity, joinedAt: Date) async throws {
        let meetingId = try store.recordJoin(
            roomId: room.id, participantId: session.id, userId: identity.userId, displayName: identity.displayName,
            role: identity.role, at: joinedAt)
        await participants.add(
            LiveParticipant(
                id: session.id, roomId: room.id, userId: identity.userId, displayName: identity.displayName,
                role: identity.role.rawValue, joinedAt: joinedAt),
            disconnect: { reason in await session.close(CloseReason(rawValue: reason) ?? .kicked) })
        sessions[session.id] = session
        keyOfSession[session.id] = key
        roomOfSession[session.id] = room.id
        meetingOfSession[session.id] = meetingId
        // Before the watcher starts, so a participant's left never precedes its joined.
        events.publish(
            RoomEvent(.participantJoined(participantId: session.id, displayName: identity.displayName, role: identity.role), at: joinedAt),
            roomId: room.id)
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
        // The session may have ended while it joined (a kick, the room deleted); its leave
        // could then have run before the join and left the room's mixer running for it.
        if sessions[session.id] == nil {
            await rooms.leave(roomId: room.id, participantId: session.id)
            return
        }
        logger.info(
            "participant joined",
            metadata: ["room": "\(room.id)", "participant": "\(session.id)", "name": "\(identity.displayName)", "role": "\(identity.role.rawValue)"])
    }

    /// The live session in `roomId` whose URL key is `key`. Every key is compared, each in
    /// constant time, so the answer's timing does not tell how close a guess came.
    func session(key: String, roomId: String) -> PeerSession? {
        var found: PeerSession?
        for (id, sessionKey) in keyOfSession where sessionKey.matches(key) && roomOfSession[id] == roomId {
            found = sessions[id]
        }
        return found
    }

    /// Closes the session and returns once its leave is recorded (also when it was already
    /// ending for another reason).
    func end(id: String, reason: CloseReason) async {
        guard let watcher = watchers[id] else { return }
        await sessions[id]?.close(reason)
        await watcher.value
    }

    /// Ends every session (server shutdown) and waits for the records.
    public func endAll(reason: CloseReason) async {
        for id in Array(watchers.keys) { await end(id: id, reason: reason) }
    }

    /// Ends every session of the room and returns once their leaves are recorded.
    func endAll(roomId: String, reason: CloseReason) async {
        for (id, room) in roomOfSession where room == roomId { await end(id: id, reason: reason) }
    }

    /// Runs once per session, in its watcher. The session's entries stay until the leave is
    /// recorded and published, so `end` and `endAll` can wait for a leave already under way.
    private func ended(_ id: String, reason: CloseReason) async {
        guard let roomId = roomOfSession[id] else { return }
        sessions[id] = nil
        defer {
            roomOfSession[id] = nil
            meetingOfSession[id] = nil
            keyOfSession[id] = nil
            watchers[id] = nil
        }
        let meetingId = meetingOfSession[id]
        await rooms.leave(roomId: roomId, participantId: id)
        if !roomOfSession.contains(where: { $0.key != id && $0.value == roomId }) { await roomEmptied(roomId) }
        await participants.remove(id: id, roomId: roomId)
        let leave: LeaveReason =
            switch reason {
            case .left: .left
            case .kicked: .kicked
            case .timeout, .dtlsFailed: .timeout
            case .roomDeleted: .roomDeleted
            case .shutdown: .shutdown
            }
        events.publish(RoomEvent(.participantLeft(participantId: id, reason: leave)), roomId: roomId)
        do {
            let ended = try store.recordLeave(participantId: id, reason: leave)
            logger.info(
                "participant left",
                metadata: ["room": "\(roomId)", "participant": "\(id)", "reason": "\(leave.rawValue)", "meetingEnded": "\(ended)"])
            if ended, let meetingId { events.publish(RoomEvent(.meetingEnded(meetingId: meetingId)), roomId: roomId) }
        } catch let error as StoreError where error.kind == .notFound {
            // The room was deleted: its meeting was already closed with room-deleted.
        } catch {
            logger.error("could not record a leave", metadata: ["participant": "\(id)", "error": "\(error)"])
        }
    }
}
