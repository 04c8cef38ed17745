#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Voice activity and the active speakers of a room, from per-input levels every audio tick.
///
/// Levels are RFC 6464 -dBov (0 loudest, 127 silence), from the sender's header extension
/// or measured on the decoded audio. An input is speaking after its smoothed level stays
/// above `speechThreshold` for `attack` and stops after `release` of quiet, so short
/// pauses between words do not flap. The active speakers are the `maxSpeakers` loudest
/// speaking inputs. A value type with no clock: call `tick` once per `tickInterval`
/// (the mixer's audio tick); the timings are durations, counted in those ticks.
public struct SpeakerDetector: Sendable {
    public struct Configuration: Sendable {
        /// Quieter than this (-dBov) is not speech.
        public var speechThreshold: Double = 50
        public var attack: Duration = .milliseconds(60)
        public var release: Duration = .milliseconds(500)
        /// K: how many speakers get a personal mix.
        public var maxSpeakers = 3
        /// Time constant of the exponential smoothing of levels (a weight of 0.3 for the
        /// newest of 20 ms levels).
        public var smoothingTime: Duration = .milliseconds(56)
        /// How often `tick` is called.
        public var tickInterval = MixerSettings.audioInterval

        public init() {}

        var attackTicks: Int { max(1, attack.ticks(of: tickInterval)) }
        var releaseTicks: Int { max(1, release.ticks(of: tickInterval)) }
        /// Weight of the newest level: 1 - e^(-tick/τ).
        var smoothing: Double { 1 - exp(-(tickInterval / smoothingTime)) }
    }

    private struct Input {
        var smoothed: Double = 127
        var loudTicks = 0
        var quietTicks = 0
        var speaking = false
    }

    public let configuration: Configuration
    private let attackTicks: Int
    private let releaseTicks: Int
    private let smoothing: Double
    private var inputs: [String: Input] = [:]

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        attackTicks = configuration.attackTicks
        releaseTicks = configuration.releaseTicks
        smoothing = configuration.smoothing
    }

    /// A change of an input's speaking state.
    public struct Change: Sendable, Equatable {
        public let id: String
        public let speaking: Bool

        public init(id: String, speaking: Bool) {
            self.id = id
            self.speaking = speaking
        }
    }

    /// Takes this tick's levels (inputs with no audio this tick count as silent) and
    /// returns the speaking changes.
    public mutating func tick(levels: [String: UInt8]) -> [Change] {
        var changes: [Change] = []
        for id in Set(inputs.keys).union(levels.keys) {
            var input = inputs[id] ?? Input()
            let level = Double(levels[id] ?? 127)
            input.smoothed += smoothing * (level - input.smoothed)
            if input.smoothed < configuration.speechThreshold {
                input.loudTicks += 1
                input.quietTicks = 0
            } else {
                input.quietTicks += 1
                input.loudTicks = 0
            }
            if !input.speaking && input.loudTicks >= attackTicks {
                input.speaking = true
                changes.append(Change(id: id, speaking: true))
            } else if input.speaking && input.quietTicks >= releaseTicks {
                input.speaking = false
                changes.append(Change(id: id, speaking: false))
            }
            inputs[id] = input
        }
        return changes.sorted { $0.id < $1.id }
    }

    /// Forgets an input that left (it stops speaking without an event).
    public mutating func remove(_ id: String) {
        inputs[id] = nil
    }

    public func isSpeaking(_ id: String) -> Bool { inputs[id]?.speaking ?? false }

    /// The loudest speaking inputs, at most `maxSpeakers`, loudest first.
    public var activeSpeakers: [String] {
        inputs.filter(\.value.speaking).sorted { ($0.value.smoothed, $0.key) < ($1.value.smoothed, $1.key) }
            .prefix(configuration.maxSpeakers).map(\.key)
    }

    /// The loudest speaking input (for the speaker layout), if any: `activeSpeakers.first`,
    /// found without building that list, since the video tick asks every frame.
    public var loudest: String? {
        var best: (id: String, smoothed: Double)?
        for (id, input) in inputs where input.speaking {
            if let current = best, (current.smoothed, current.id) <= (input.smoothed, id) { continue }
            best = (id, input.smoothed)
        }
        return best?.id
    }
}
