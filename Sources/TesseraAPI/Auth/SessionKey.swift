import HTTPTypes

/// The secret last segment of a session URL (`/v1/rooms/{id}/sessions/{key}`): 128 random
/// bits as hex, known only to the client that got the WHIP/WHEP `Location`. The URL is the
/// capability to trickle, mute and leave (RFC 9725 §4.1), so it must not be the participant
/// id, which everyone in the room sees (events, participant list).
struct SessionKey: Sendable {
    let text: String

    /// A fresh key from the system's secure generator.
    static func make() -> SessionKey { SessionKey(text: SecretFile.randomHex(bytes: 16)) }

    /// Whether `candidate` is this key, compared in constant time.
    func matches(_ candidate: String) -> Bool {
        AdminAuthMiddleware<APIContext>.constantTimeEqual(Array(candidate.utf8), Array(text.utf8))
    }
}

extension HTTPField.Name {
    /// The participant id of a new WHIP/WHEP session, on the `201`: the id the room's
    /// events and participant list use, which the session URL no longer carries.
    static let tesseraParticipantId = HTTPField.Name("Tessera-Participant-Id")!
}
