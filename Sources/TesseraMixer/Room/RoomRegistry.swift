public import Logging
public import TesseraTransport

/// The rooms whose mixer runs now (issue 4: "the mixer starts with the first participant,
/// stops with the last"). Sessions join and leave through here; REST mutes and room
/// updates reach the live mixer through here.
public actor RoomRegistry {
    public typealias SpeakingHandler = @Sendable (_ roomId: String, _ participantId: String, _ speaking: Bool) -> Void

    private var rooms: [String: LiveRoom] = [:]
    private let output: any MixOutput
    private let clock: @Sendable () -> Duration
    private let logger: Logger
    private let onSpeaking: SpeakingHandler

    public init(
        output: any MixOutput, clock: @escaping @Sendable () -> Duration, logger: Logger,
        onSpeaking: @escaping SpeakingHandler = { _, _, _ in }
    ) {
        self.output = output
        self.clock = clock
        self.logger = logger
        self.onSpeaking = onSpeaking
    }

    /// Puts the session's participant into its room's mix, starting the room's mixer if
    /// it is the first.
    public func join(roomId: String, settings: MixerSettings, session: PeerSession, as participant: MixerParticipant) async throws {
        // A room that stopped between lookup and add (its last participant just left) is
        // replaced by a new one.
        for _ in 0..<2 {
            let room = try rooms[roomId] ?? start(roomId: roomId, settings: settings)
            if await room.add(session, as: participant) { return }
            if rooms[roomId] === room { rooms[roomId] = nil }
        }
        throw MixerError("room \(roomId) stopped while \(participant.id) joined")
    }

    private func start(roomId: String, settings: MixerSettings) throws -> LiveRoom {
        let onSpeaking = self.onSpeaking
        let room = try LiveRoom(
            id: roomId, settings: settings, output: output, clock: clock, logger: logger,
            onSpeaking: { onSpeaking(roomId, $0, $1) })
        rooms[roomId] = room
        Task { await room.start() }
        return room
    }

    /// Takes a participant out of the mix; the last one out stops the room's mixer.
    public func leave(roomId: String, participantId: String) async {
        guard let room = rooms[roomId] else { return }
        if await room.remove(participantId), rooms[roomId] === room {
            rooms[roomId] = nil
        }
    }

    public func setMuted(roomId: String, participantId: String, audio: Bool?, video: Bool?) async {
        await rooms[roomId]?.setMuted(participantId, audio: audio, video: video)
    }

    /// A room update (layout, video) for its live mixer, if it runs.
    public func apply(roomId: String, settings: MixerSettings) async {
        await rooms[roomId]?.apply(settings)
    }

    /// Feeds `recorder` with the room's mix; false when the room's mixer is not running
    /// (no live meeting) or already records.
    public func startRecording(roomId: String, _ recorder: any MixRecorder, onEnd: @escaping @Sendable (RecordingEnd) -> Void) async -> Bool {
        guard let room = rooms[roomId] else { return false }
        return await room.startRecording(recorder, onEnd: onEnd)
    }

    /// Stops the room's recording; false if it had none.
    public func stopRecording(roomId: String) async -> Bool {
        await rooms[roomId]?.stopRecording() ?? false
    }

    public var liveRoomIDs: [String] { rooms.keys.sorted() }

    public func statistics() async -> [RoomStatistics] {
        var result: [RoomStatistics] = []
        for room in rooms.values { result.append(await room.statistics()) }
        return result.sorted { $0.roomId < $1.roomId }
    }

    public func statistics(roomId: String) async -> RoomStatistics? {
        await rooms[roomId]?.statistics()
    }

    /// Stops every mixer (server shutdown).
    public func stopAll() async {
        for room in rooms.values { await room.stop() }
        rooms.removeAll()
    }
}

/// A room mixer could not do what was asked.
public struct MixerError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
