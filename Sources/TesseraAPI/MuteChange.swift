import Hummingbird
import TesseraMixer

/// A change of a live participant's mute flags, `{"audioMuted": bool, "videoMuted": bool}`
/// (either may be left out: it keeps its value). The admin's `PATCH` of a participant and a
/// participant's own `PATCH` of its session URL both apply it here, so both reach the same
/// three places: the directory (the REST view), the room's live mixer (a muted input leaves
/// the mix; its tile shows the placeholder) and the events socket (`participant-muted`).
struct MuteChange: Sendable {
    let audio: Bool?
    let video: Bool?

    /// Reads the JSON body (415 for another type, 422 for unknown or mistyped fields).
    static func read(_ request: inout Request, context: some RequestContext) async throws -> MuteChange {
        let body = JSONFields(try await request.jsonObject(context: context))
        try body.onlyKnown(["audioMuted", "videoMuted"])
        return MuteChange(audio: try body.bool("audioMuted"), video: try body.bool("videoMuted"))
    }

    /// Applies the change to participant `participantId` of `roomId`; 404 if it is not live there.
    func apply(participantId: String, roomId: String, server: ServerContext) async throws -> LiveParticipant {
        guard let updated = await server.participants.setMuted(id: participantId, roomId: roomId, audio: audio, video: video) else {
            throw APIError.notFound("participant \(participantId) is not in room \(roomId)")
        }
        await server.media?.rooms.setMuted(roomId: roomId, participantId: participantId, audio: audio, video: video)
        server.events.publish(
            RoomEvent(.participantMuted(participantId: participantId, audioMuted: updated.audioMuted, videoMuted: updated.videoMuted)),
            roomId: roomId)
        return updated
    }
}
