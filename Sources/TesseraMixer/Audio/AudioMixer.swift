import TesseraMedia

/// The room's audio mix every audio tick (issue 4: "mix in float, N-1 ... the shared full mix,
/// encoded ONCE for all of them and for every viewer; only the active speakers get a
/// personal mix and a personal encode. Soft limiter").
///
/// The full mix is the sum of the contributing inputs. The shared encoder runs once per
/// tick for everyone on the shared mix; each active speaker that receives audio gets the
/// full mix minus its own input from an encoder of its own, kept while it stays in the
/// room so its Opus stream stays continuous across speaking turns. Buffers are allocated
/// once; a tick allocates only the packets it hands out.
final class AudioMixer {
    struct Input {
        let id: String
        let pcm: PCMFrame
        let csrc: UInt32?
        let level: UInt8
    }

    struct Packet {
        let receivers: [String]
        let data: [UInt8]
        let contributingSources: [(csrc: UInt32, level: UInt8)]
    }

    private let bitrate: Int
    private let shared: OpusEncoder
    private var personal: [String: OpusEncoder] = [:]
    private var full = PCMFrame(count: MixerSettings.samplesPerAudioTick)
    private var out = PCMFrame(count: MixerSettings.samplesPerAudioTick)
    private var packet: [UInt8]
    private(set) var sharedEncodes = 0
    private(set) var personalEncodes = 0
    private(set) var encodeErrors = 0

    /// How far the decoded mix lags the PCM it was encoded from (libopus lookahead).
    let lookahead: Duration

    init(bitrate: Int) throws {
        self.bitrate = bitrate
        shared = try MixerSettings.makeMixEncoder(bitrate: bitrate)
        packet = [UInt8](repeating: 0, count: OpusCodec.maxPacketBytes)
        lookahead = .seconds(Double(try shared.lookahead()) / Double(OpusCodec.sampleRate))
    }

    /// Mixes one tick according to `plan`; `inputs` holds every contributor's audio.
    func mix(_ plan: AudioMixPlan, inputs: [String: Input]) -> [Packet] {
        full.clear()
        var sources: [(csrc: UInt32, level: UInt8)] = []
        for id in plan.contributors {
            guard let input = inputs[id] else { continue }
            full.mixAdd(input.pcm)
            if let csrc = input.csrc { sources.append((csrc, input.level)) }
        }
        var packets: [Packet] = []
        if !plan.shared.isEmpty {
            out.assign(full)
            out.softLimit()
            if let data = encode(out, with: shared) {
                sharedEncodes += 1
                packets.append(Packet(receivers: plan.shared, data: data, contributingSources: sources))
            }
        }
        for id in plan.personal {
            guard let own = inputs[id] else { continue }
            let encoder: OpusEncoder
            if let existing = personal[id] {
                encoder = existing
            } else {
                guard let made = try? MixerSettings.makeMixEncoder(bitrate: bitrate) else {
                    encodeErrors += 1
                    continue
                }
                personal[id] = made
                encoder = made
            }
            out.assign(full)
            out.mixAdd(own.pcm, gain: -1)
            out.softLimit()
            if let data = encode(out, with: encoder) {
                personalEncodes += 1
                let others = sources.filter { own.csrc == nil || $0.csrc != own.csrc }
                packets.append(Packet(receivers: [id], data: data, contributingSources: others))
            }
        }
        return packets
    }

    /// Forgets a participant's personal encoder (it left).
    func remove(_ id: String) {
        personal[id] = nil
    }

    private func encode(_ frame: PCMFrame, with encoder: OpusEncoder) -> [UInt8]? {
        guard let length = try? encoder.encode(frame, into: &packet), length > 0 else {
            encodeErrors += 1
            return nil
        }
        return Array(packet[0..<length])
    }
}
