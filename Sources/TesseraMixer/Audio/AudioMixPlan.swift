/// Who hears which mix (issue: "N-1: each participant hears every other one and never
/// itself; a participant who is silent receives the shared full mix, encoded ONCE for all
/// of them and for every viewer; only the active speakers get a personal mix").
///
/// The full mix holds every contributing input. An active speaker's personal mix is the
/// full mix minus its own input, so it never hears itself. A publisher that is not an
/// active speaker gets the full mix: its own input is in it only if it contributed,
/// and inputs contribute only while speaking — so a silent participant never hears itself.
public struct AudioMixPlan: Sendable, Equatable {
    /// Inputs summed into the full mix this tick.
    public let contributors: [String]
    /// Participants that get a personal (full minus own) mix and encode.
    public let personal: [String]
    /// Receivers of the one shared encode of the full mix.
    public let shared: [String]

    /// - Parameters:
    ///   - inputs: participants whose audio arrived this tick (unmuted).
    ///   - speakers: the active speakers, at most K.
    ///   - receivers: everyone receiving audio (publishers with sendrecv audio, viewers).
    public init(inputs: Set<String>, speakers: [String], receivers: [String]) {
        let speaking = speakers.filter(inputs.contains)
        contributors = speaking.sorted()
        personal = speaking.filter(receivers.contains).sorted()
        let personalSet = Set(personal)
        shared = receivers.filter { !personalSet.contains($0) }.sorted()
    }

    /// How many Opus encodes this tick needs: one shared (if anyone shares) plus one per speaker.
    public var encodes: Int { personal.count + (shared.isEmpty ? 0 : 1) }
}
