import TesseraMixer

/// The live room mixers in Prometheus text format, labelled by room: tick durations,
/// frames decoded and encoded, late frames, concealed audio, CPU time.
enum MixerMetricsText {
    static func render(_ rooms: [RoomStatistics]) -> String {
        var out = "# HELP tessera_mixer_rooms Rooms whose mixer runs\n# TYPE tessera_mixer_rooms gauge\ntessera_mixer_rooms \(rooms.count)\n"
        func family(_ name: String, _ type: String, _ help: String, _ value: (RoomStatistics) -> String) {
            out += "# HELP tessera_\(name) \(help)\n# TYPE tessera_\(name) \(type)\n"
            for room in rooms { out += "tessera_\(name){room=\"\(room.roomId)\"} \(value(room))\n" }
        }
        func counter(_ name: String, _ help: String, _ value: @escaping (MixerCounters) -> Int) {
            family(name, "counter", help) { "\(value($0.counters))" }
        }
        counter("mixer_video_frames_encoded_total", "Composites encoded (one per output frame, for all receivers)", \.videoFramesEncoded)
        counter("mixer_video_frames_decoded_total", "Input video frames decoded", \.videoFramesDecoded)
        counter("mixer_keyframes_encoded_total", "Composite keyframes", \.keyframesEncoded)
        counter("mixer_keyframes_forced_total", "Keyframes forced for joining receivers and PLI/FIR", \.keyframesForced)
        counter("mixer_audio_frames_decoded_total", "Input Opus packets decoded", \.audioFramesDecoded)
        counter("mixer_audio_frames_concealed_total", "Input audio ticks (10 ms) filled by packet-loss concealment", \.audioFramesConcealed)
        counter("mixer_audio_frames_dropped_total", "Decoded input audio ticks (10 ms) dropped to keep audio level with video", \.audioFramesDropped)
        counter("mixer_audio_shared_encodes_total", "Encodes of the shared full mix (once per 10 ms audio tick for all non-speakers)", \.sharedAudioEncodes)
        counter("mixer_audio_personal_encodes_total", "Encodes of active speakers' personal (N-1) mixes", \.personalAudioEncodes)
        counter("mixer_late_frames_total", "Input frames that arrived after their playout time", \.lateFrames)
        counter("mixer_skipped_video_frames_total", "Input video frames skipped while waiting for a keyframe", \.skippedVideoFrames)
        counter("mixer_hidden_video_frames_total", "Input video frames not decoded because their tile was hidden (video-muted)", \.hiddenVideoFrames)
        counter("mixer_decode_errors_total", "Input frames that failed to decode", \.decodeErrors)
        counter("mixer_encode_errors_total", "Mixes or composites that failed to encode", \.encodeErrors)
        counter("mixer_video_tick_moves_total", "Moves of the video ticks to just after the inputs' frames (lower wait)", \.videoTickMoves)
        family("mixer_skipped_ticks_total", "counter", "Ticks skipped because the room fell behind or its encoder was still busy") { "\($0.skippedTicks)" }
        family("mixer_inbox_dropped_total", "counter", "Input frames dropped because the room fell too far behind") { "\($0.inboxDropped)" }
        family("mixer_cpu_seconds_total", "counter", "CPU time of the room's mixer threads (mixing and encoding)") { "\($0.cpuSeconds)" }
        family("mixer_encoder_speed", "gauge", "VP8 speed level of the room's encoder, 1-16, fixed (cpu-used = -level); raised when ticks run long") { "\($0.encoderSpeed)" }
        family("mixer_participants", "gauge", "Participants in the room's mix") { "\($0.participants)" }
        out += "# HELP tessera_mixer_playout_delay_seconds Longest playout delay among the room's inputs (jitter delay plus lip-sync wait), by kind\n"
        out += "# TYPE tessera_mixer_playout_delay_seconds gauge\n"
        for room in rooms {
            for (kind, delay) in [("audio", room.playoutDelay.audio), ("video", room.playoutDelay.video)] {
                out += "tessera_mixer_playout_delay_seconds{room=\"\(room.roomId)\",kind=\"\(kind)\"} \(delay.seconds)\n"
            }
        }
        out += histograms("mixer_tick_seconds", "Duration of mixer ticks, by kind", rooms) {
            [("audio", $0.audioTicks), ("video", $0.videoTicks)]
        }
        out += histograms(
            "mixer_latency_seconds", "Mixer-added latency: from an input frame's last packet arriving to the first mix with it leaving",
            rooms
        ) { [("audio", $0.audioLatency), ("video", $0.videoLatency)] }
        return out
    }

    private static func histograms(
        _ name: String, _ help: String, _ rooms: [RoomStatistics],
        _ select: (RoomStatistics) -> [(kind: String, histogram: TickHistogram)]
    ) -> String {
        var out = "# HELP tessera_\(name) \(help)\n# TYPE tessera_\(name) histogram\n"
        for room in rooms {
            for (kind, histogram) in select(room) {
                let labels = "room=\"\(room.roomId)\",kind=\"\(kind)\""
                var cumulative = 0
                for (bound, count) in zip(histogram.bounds, histogram.buckets) {
                    cumulative += count
                    out += "tessera_\(name)_bucket{\(labels),le=\"\(bound)\"} \(cumulative)\n"
                }
                out += "tessera_\(name)_bucket{\(labels),le=\"+Inf\"} \(histogram.count)\n"
                out += "tessera_\(name)_sum{\(labels)} \(histogram.sum)\n"
                out += "tessera_\(name)_count{\(labels)} \(histogram.count)\n"
            }
        }
        return out
    }
}
