/// Who hears which mix (issue: "N-1: each participant hears every other one and never
/// itself; a participant who is silent receives the shared full mix, encoded ONCE for all
/// of them and for every viewer; only the active speakers get a personal mix").
///
/// The full mix holds the selected inputs (`MixSelection`: the K loudest making sound).
/// Each selected input that receives audio gets the full mix minus itself, so it never
/// hears itself; everyone else (not selected, so not in the mix) shares the full mix.
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
