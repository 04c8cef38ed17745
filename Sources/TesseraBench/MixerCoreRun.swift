import CAllocationCounter
import Foundation
import TesseraMixer
import TesseraTransport

/// Tessera's room mixer core in-process, under a manual clock: the same encoded frames the
/// participants would send go into the real `RoomMixer` (playout buffers, lip-sync, Opus
/// and VP8 decoding, mix selection, compositor, the one VP8 encode, shared and personal
/// Opus encodes), every participant receiving the mix. No sockets, SRTP or packetizing:
/// the server run measures those. Counts allocations per tick and the mixer-added latency
/// (tick time minus arrival, plus the tick's own processing time).
final class MixerCoreRun {
    private let settings: MixerSettings
    private let mixer: RoomMixer
    private var videoPackets: [PacketCursor]
    private var audioPackets: [PacketCursor]
    private let ids: [String]
    /// Network delay of every input frame on the manual clock.
    private let networkDelay: Duration = .milliseconds(2)
    /// Where each participant's clock stands against the room's: spread evenly over one
    /// frame interval, as independent senders' would be, so the wait for the next tick
    /// covers its whole range instead of one phase for everyone.
    private let phases: [Duration]
    private(set) var video = TickCost()
    private(set) var audio = TickCost()
    private(set) var framesEncoded = 0
    /// With TESSERA_ALLOC_TRACE=audio the steady-state audio ticks' allocations are traced
    /// (see allocation_counter.h), otherwise the video ticks'.
    private let tracesAudio = ProcessInfo.processInfo.environment["TESSERA_ALLOC_TRACE"] == "audio"

    init(settings: MixerSettings, inputs: BenchInputs) throws {
        self.settings = settings
        mixer = try RoomMixer(settings: settings, epoch: .zero)
        videoPackets = inputs.participants.map { PacketCursor($0.video, period: $0.period) }
        audioPackets = inputs.participants.map { PacketCursor($0.audio, period: $0.period) }
        ids = inputs.participants.indices.map { "p\($0)" }
        let count = inputs.participants.count
        phases = (0..<count).map { settings.frameInterval * $0 / count }
        for id in ids {
            mixer.add(MixerParticipant(id: id, isPublisher: true, receivesAudio: true, receivesVideo: true), now: .zero)
        }
    }

    /// Runs `duration` of room time as fast as the CPU allows; ticks after `warmup` are
    /// the steady state whose allocations and latencies are recorded. The ticks follow a
    /// `TickSchedule` on the manual clock, with the video ticks moved to follow the inputs
    /// as a live room moves them.
    func run(for duration: Duration, warmup: Duration) {
        var schedule = TickSchedule(epoch: .zero, videoInterval: settings.frameInterval)
        var clock = Duration.zero
        while clock <= duration {
            let tick: TickSchedule.Tick
            switch schedule.next(now: clock) {
            case .wait(let wait):
                clock += wait
                continue
            case .run(let due):
                tick = due
            }
            let now = tick.time
            let isAudio = if case .audio = tick { true } else { false }
            feed(until: now)
            let before = Measurement.now()
            let traced = now > warmup && isAudio == tracesAudio
            if traced { tessera_allocation_trace(1) }
            let arrivals: [Duration]
            switch tick {
            case .audio:
                arrivals = mixer.mixAudio(at: now).inputArrivals
            case .video:
                let mixed = mixer.mixVideo(at: now)
                if mixed.frame != nil { framesEncoded += 1 }
                arrivals = mixed.inputArrivals
                if let shift = mixer.videoTickShift(now: now) { schedule.shiftVideo(by: shift.offset) }
            }
            if traced { tessera_allocation_trace(0) }
            guard now > warmup else { continue }
            let after = Measurement.now()
            if isAudio {
                audio.record(from: before, to: after, at: now, arrivals: arrivals)
            } else {
                video.record(from: before, to: after, at: now, arrivals: arrivals)
            }
        }
    }

    /// Hands the mixer every frame that has arrived by `now` (sent at its media time on its
    /// participant's clock, arriving `networkDelay` later), as the media port would.
    private func feed(until now: Duration) {
        for (index, id) in ids.enumerated() {
            let ssrc = UInt32(1_000 + index * 2)
            let delay = phases[index] + networkDelay
            while let (packet, time) = videoPackets[index].next(dueBy: now - delay) {
                mixer.receive(
                    InboundFrame(
                        codec: .vp8, ssrc: ssrc, rtpTimestamp: UInt32(truncatingIfNeeded: Int64(time.seconds * 90_000)),
                        arrival: time + delay, isKeyframe: packet.isKeyframe, data: packet.data), from: id)
            }
            while let (packet, time) = audioPackets[index].next(dueBy: now - delay) {
                mixer.receive(
                    InboundFrame(
                        codec: .opus, ssrc: ssrc + 1, rtpTimestamp: UInt32(truncatingIfNeeded: Int64(time.seconds * 48_000)),
                        arrival: time + delay, isKeyframe: false, data: packet.data), from: id)
            }
        }
    }
}
