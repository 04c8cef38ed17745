import TesseraMixer
import TesseraStore

/// The room as it is when an events socket opens with `?snapshot=true`: before the live
/// events, one `participant-joined` per participant connected now (in join order, `at` its
/// join time), then `participant-muted` for those muted and `speaking` for those speaking.
/// A client can then draw the participant list from the socket alone, without the admin key
/// that `GET /v1/rooms/{id}/participants` needs.
///
/// The snapshot is taken after the subscription starts, so nothing falls in between; a
/// participant who joined in that gap is in both, and its live `participant-joined` is
/// skipped (`shouldSend`). (The supervisor adds a participant to the directory before it
/// publishes the join, and removes it before it publishes the leave.)
struct RoomSnapshot: Sendable {
    let events: [RoomEvent]
    private var unsentJoins: Set<String>

    init(_ participants: [LiveParticipant]) {
        var events = participants.map { participant in
            RoomEvent(
                .participantJoined(
                    participantId: participant.id, displayName: participant.displayName,
                    role: ParticipantRole(rawValue: participant.role) ?? .publisher),
                at: participant.joinedAt)
        }
        let now = Timestamp.now()
        for participant in participants where participant.audioMuted || participant.videoMuted {
            events.append(
                RoomEvent(
                    .participantMuted(participantId: participant.id, audioMuted: participant.audioMuted, videoMuted: participant.videoMuted),
                    at: now))
        }
        for participant in participants where participant.speaking {
            events.append(RoomEvent(.speaking(participantId: participant.id, speaking: true), at: now))
        }
        self.events = events
        unsentJoins = Set(participants.map(\.id))
    }

    /// False for the live `participant-joined` of someone the snapshot already announced.
    mutating func shouldSend(_ event: RoomEvent) -> Bool {
        guard case .participantJoined(let id, _, _) = event.kind else { return true }
        return unsentJoins.remove(id) == nil
    }
}
