/// Which inputs are summed into this tick's mix: at most K, the loudest of those that are
/// making sound now.
///
/// Unlike `SpeakerDetector` (slow attack, for `speaking` events and the speaker layout),
/// this reacts within the tick a sound starts, so no word's onset is clipped, and holds
/// an input for `hangover` after it went quiet, so the gaps between words do not cut it
/// in and out. Every selected input that receives audio gets a personal mix without
/// itself (`AudioMixPlan`); an input that is not selected is not in any mix, so nobody
/// ever hears themselves. A value type with no clock: call `select` every `tickInterval`
/// (the mixer's audio tick).
public struct MixSelection: Sendable {
    /// Louder than this (-dBov, RFC 6464 scale) counts as sound.
    public var gate: UInt8
    public var maximum: Int
    /// Whole ticks an input is held after it went quiet.
    private let hangoverTicks: Int
    /// How far a held input's peak falls per tick: 50 dB a second, so among inputs that
    /// went quiet the one that was loudest most recently ranks first.
    private let decayPerTick: Double

    private struct Input {
        var peak: Double
        var quietTicks: Int
    }

    private var inputs: [String: Input] = [:]

    public init(
        maximum: Int, gate: UInt8 = 60, hangover: Duration = .milliseconds(300),
        tickInterval: Duration = MixerSettings.audioInterval
    ) {
        self.maximum = maximum
        self.gate = gate
        hangoverTicks = hangover.ticks(of: tickInterval)
        decayPerTick = 50 * tickInterval.seconds
    }

    /// Takes this tick's levels (absent inputs are silent) and returns the selected inputs,
    /// loudest first.
    public mutating func select(levels: [String: UInt8]) -> [String] {
        for (id, level) in levels where level <= gate {
            let peak = min(Double(level), (inputs[id]?.peak ?? 127) + decayPerTick)
            inputs[id] = Input(peak: peak, quietTicks: 0)
        }
        for id in Array(inputs.keys) {
            guard var input = inputs[id] else { continue }
            if let level = levels[id], level <= gate { continue }
            input.quietTicks += 1
            input.peak = min(127, input.peak + decayPerTick)
            inputs[id] = input.quietTicks > hangoverTicks ? nil : input
        }
        return inputs.sorted { ($0.value.peak, $0.key) < ($1.value.peak, $1.key) }.prefix(maximum).map(\.key)
    }

    /// Forgets an input that left or was muted.
    public mutating func remove(_ id: String) {
        inputs[id] = nil
    }
}
