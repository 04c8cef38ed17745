import CFFmpeg
import TesseraMedia
import TesseraWire

/// Muxes already-encoded VP8 and Opus packets (the room's mixed stream, no second encode)
/// into a WebM file through libavformat's Matroska muxer.
///
/// - The file starts on a video keyframe: when there is a video stream, every packet before
///   the first keyframe (audio too) is dropped, so playback starts in sync.
/// - Timestamps come from one clock (the room clock); the first written packet is 0 ms, and
///   each stream's timestamps strictly increase (see `RecordingTimeline`).
/// - Durability: the muxer closes a cluster at least every `clusterMilliseconds` (and on
///   each video keyframe) and every closed cluster is flushed to the kernel at once, so a
///   process killed with SIGKILL leaves a file playable up to its last half second or so.
/// - `finish()` writes the trailer (duration, cues) and closes; a writer released without
///   `finish()` flushes what it holds and closes without a trailer (still playable).
///
/// Owns its libavformat context; not `Sendable`: it stays with the room that records.
public final class WebMWriter {
    /// Longest cluster in milliseconds: about the most a SIGKILL can cost (plus the packet or
    /// two waiting in the interleaving queue). Each cluster costs ~16 bytes and one write.
    public static let clusterMilliseconds = 500
    /// The libopus lookahead at 48 kHz, written as the OpusHead pre-skip and Matroska CodecDelay.
    public static let defaultOpusPreSkip = 312
    /// WebRTC negotiates opus/48000/2; mono-coded packets decode as stereo.
    static let opusChannels = 2

    public let path: String
    /// Bytes in the file so far (what has reached the kernel; the whole file after `finish()`).
    public private(set) var bytesWritten: Int64 = 0
    public private(set) var videoPacketCount = 0
    public private(set) var audioPacketCount = 0
    /// Packets dropped: before the first keyframe, empty, or not later than their stream's previous one.
    public private(set) var droppedPacketCount = 0
    public private(set) var isFinished = false
    /// The last written timestamp minus the first.
    public var duration: Duration { timeline.end }

    private var context: UnsafeMutablePointer<AVFormatContext>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var videoStream: Int32?
    private var audioStream: Int32?
    private var timeline: RecordingTimeline
    /// Milliseconds added to audio timestamps so that block − CodecDelay is the packet's room time.
    private var audioOffset: Int64 = 0
    private var headerWritten = false
    /// The first write error; every later call throws it again.
    private var failure: RecordingError?

    /// Creates the file at `path` and writes the WebM header: a VP8 track of `video`'s size
    /// and/or an Opus track (48 kHz, 2 channels, `opusPreSkip` samples of encoder delay).
    /// Throws `.open` when the file cannot be created, `.write` when the header cannot be written.
    public init(
        path: String, video: (width: Int, height: Int)?, audio: Bool, opusPreSkip: Int = WebMWriter.defaultOpusPreSkip
    ) throws(RecordingError) {
        self.path = path
        timeline = RecordingTimeline(waitsForKeyframe: video != nil)
        // From here every stored property is set, so a throw runs deinit, which frees what exists.
        guard video != nil || audio else { throw RecordingError(.badInput, "\(path): a recording needs video or audio") }
        if let video, !(1...16383).contains(video.width) || !(1...16383).contains(video.height) {
            throw RecordingError(.badInput, "\(path): video size \(video.width)x\(video.height)")
        }
        guard (0...Int(UInt16.max)).contains(opusPreSkip) else {
            throw RecordingError(.badInput, "\(path): Opus pre-skip \(opusPreSkip)")
        }
        packet = av_packet_alloc()
        try check(avformat_alloc_output_context2(&context, nil, "webm", path), .muxer, "webm output context")
        guard let context, packet != nil else { throw RecordingError(.resource, "\(path): muxer allocation") }

        if let video { videoStream = try addVideoStream(to: context, width: video.width, height: video.height) }
        if audio {
            audioStream = try addAudioStream(to: context, preSkip: opusPreSkip)
            if !Self.muxerAppliesCodecDelay {
                // Rounded as the demuxer rounds CodecDelay (6.5 ms → 7), so the two cancel exactly.
                let sample = AVRational(num: 1, den: Int32(OpusCodec.sampleRate))
                audioOffset = av_rescale_q(Int64(opusPreSkip), sample, AVRational(num: 1, den: 1000))
            }
        }

        try check(avio_open(&context.pointee.pb, path, AVIO_FLAG_WRITE), .open, "open")
        // Each packet's write ends with avio_flush, so a closed cluster reaches the kernel at once.
        context.pointee.flush_packets = 1
        // If one stream stalls, the interleaver holds the other back no longer than one cluster.
        context.pointee.max_interleave_delta = Int64(Self.clusterMilliseconds) * 1000
        var options: OpaquePointer?
        defer { av_dict_free(&options) }
        // Matroska muxer options (libavformat/matroskaenc.c). A seekable file defaults to 5 s
        // (5 MiB) clusters, held in memory until closed; shorter ones bound the loss on SIGKILL.
        // `live` stays off: it would drop the cues and duration the trailer patches in by
        // seeking back. No `reserve_index_space`/`cues_to_front`: the length is unknown, and
        // cues at the end are found through the SeekHead.
        av_dict_set(&options, "cluster_time_limit", "\(Self.clusterMilliseconds)", 0)
        try check(avformat_write_header(context, &options), .muxer, "write header")
        headerWritten = true
        guard av_dict_count(options) == 0 else {
            throw RecordingError(.muxer, "\(path): options the muxer did not take: \(Self.keys(of: options))")
        }
        for index in [videoStream, audioStream].compactMap({ $0 }) {
            let timeBase = context.pointee.streams[Int(index)]!.pointee.time_base
            guard timeBase.num == 1, timeBase.den == 1000 else {
                throw RecordingError(.muxer, "\(path): stream time base \(timeBase.num)/\(timeBase.den), expected 1/1000")
            }
        }
        avio_flush(context.pointee.pb)
        try checkOutput("write header")
        bytesWritten = avio_tell(context.pointee.pb)
    }

    deinit {
        if let context {
            if headerWritten, !isFinished, failure == nil {
                // Closed without a trailer: write out the interleaving queue and the open cluster.
                _ = av_interleaved_write_frame(context, nil)
                _ = av_write_frame(context, nil)
            }
            avio_closep(&context.pointee.pb)
            avformat_free_context(context)
        }
        av_packet_free(&packet)
    }

    /// Writes one encoded VP8 frame taken at `timestamp` on the room clock.
    public func writeVideo(_ data: [UInt8], isKeyframe: Bool, timestamp: Duration) throws(RecordingError) {
        guard let videoStream else { throw RecordingError(.badInput, "\(path): the recording has no video stream") }
        try write(data, stream: videoStream, track: .video, isKeyframe: isKeyframe, timestamp: timestamp, milliseconds: 0)
    }

    /// Writes one Opus packet whose audio starts at `timestamp` on the room clock.
    public func writeAudio(_ data: [UInt8], timestamp: Duration) throws(RecordingError) {
        guard let audioStream else { throw RecordingError(.badInput, "\(path): the recording has no audio stream") }
        // The packet's duration (RFC 6716 §3.1) makes the file's duration cover the last packet.
        let length = (try? OpusPacket(parsing: data)).map { Int64(($0.durationMicroseconds + 500) / 1000) } ?? 0
        try write(data, stream: audioStream, track: .audio, isKeyframe: true, timestamp: timestamp, milliseconds: length)
    }

    /// Matroska plays a block at its timestamp minus the track's CodecDelay, and the room
    /// clock stamps each Opus packet with the time of its first decoded sample (the mixer
    /// already took the lookahead off), so a block must be written at stamp + CodecDelay.
    /// libavformat 6.0 (lavf 60) and later add CodecDelay to the blocks themselves; up to
    /// 5.1 (lavf 59.27, Debian 12) the muxer writes CodecDelay but not the shift.
    static let muxerAppliesCodecDelay = avformat_version() >= 60 << 16

    /// Writes the trailer (duration, cues) and closes the file. Calling it again does nothing;
    /// after a write error it closes the file and throws that error.
    public func finish() throws(RecordingError) {
        guard !isFinished, let context else { return }
        isFinished = true
        defer {
            avio_closep(&context.pointee.pb)
            avformat_free_context(context)
            self.context = nil
        }
        if let failure { throw failure }
        try check(av_write_trailer(context), .write, "write trailer")
        try checkOutput("write trailer")
        bytesWritten = max(bytesWritten, avio_size(context.pointee.pb))
        let closed = avio_closep(&context.pointee.pb)
        try check(closed, .write, "close")
    }

    private func write(
        _ data: [UInt8], stream: Int32, track: RecordingTimeline.Track, isKeyframe: Bool, timestamp: Duration,
        milliseconds length: Int64
    ) throws(RecordingError) {
        if let failure { throw failure }
        guard !isFinished, let context, let packet else { throw RecordingError(.badInput, "\(path): written after finish()") }
        guard !data.isEmpty, data.count <= Int(Int32.max - AV_INPUT_BUFFER_PADDING_SIZE),
              let milliseconds = timeline.place(timestamp, track: track, isKeyframe: isKeyframe)
        else {
            droppedPacketCount += 1
            return
        }
        // One refcounted, padded buffer per packet: the interleaver keeps it until it is written.
        try check(av_new_packet(packet, Int32(data.count)), .resource, "packet of \(data.count) bytes")
        data.withUnsafeBytes { bytes in
            UnsafeMutableRawPointer(packet.pointee.data!).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        }
        packet.pointee.stream_index = stream
        let shifted = track == .audio ? milliseconds + audioOffset : milliseconds
        packet.pointee.pts = shifted
        packet.pointee.dts = shifted
        packet.pointee.duration = length
        packet.pointee.flags = isKeyframe ? AV_PKT_FLAG_KEY : 0
        let written = av_interleaved_write_frame(context, packet)
        av_packet_unref(packet)
        try check(written, .write, "write packet")
        try checkOutput("write packet")
        if track == .video { videoPacketCount += 1 } else { audioPacketCount += 1 }
        bytesWritten = max(bytesWritten, avio_tell(context.pointee.pb))
    }

    private func addVideoStream(to context: UnsafeMutablePointer<AVFormatContext>, width: Int, height: Int) throws(RecordingError) -> Int32 {
        let stream = try newStream(in: context)
        let parameters = stream.pointee.codecpar!
        parameters.pointee.codec_type = AVMEDIA_TYPE_VIDEO
        parameters.pointee.codec_id = AV_CODEC_ID_VP8
        parameters.pointee.width = Int32(width)
        parameters.pointee.height = Int32(height)
        return stream.pointee.index
    }

    private func addAudioStream(to context: UnsafeMutablePointer<AVFormatContext>, preSkip: Int) throws(RecordingError) -> Int32 {
        let stream = try newStream(in: context)
        let parameters = stream.pointee.codecpar!
        parameters.pointee.codec_type = AVMEDIA_TYPE_AUDIO
        parameters.pointee.codec_id = AV_CODEC_ID_OPUS
        parameters.pointee.sample_rate = Int32(OpusCodec.sampleRate)
        av_channel_layout_default(&parameters.pointee.ch_layout, Int32(Self.opusChannels))
        // Written as CodecDelay, which players expect to equal the OpusHead pre-skip.
        parameters.pointee.initial_padding = Int32(preSkip)
        // The Matroska muxer requires CodecPrivate for Opus; libavformat frees extradata with the context.
        let head = OpusHead.bytes(channels: Self.opusChannels, preSkip: preSkip)
        guard let extradata = av_mallocz(head.count + Int(AV_INPUT_BUFFER_PADDING_SIZE)) else {
            throw RecordingError(.resource, "\(path): OpusHead extradata")
        }
        head.withUnsafeBytes { extradata.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        parameters.pointee.extradata = extradata.assumingMemoryBound(to: UInt8.self)
        parameters.pointee.extradata_size = Int32(head.count)
        return stream.pointee.index
    }

    private func newStream(in context: UnsafeMutablePointer<AVFormatContext>) throws(RecordingError) -> UnsafeMutablePointer<AVStream> {
        guard let stream = avformat_new_stream(context, nil) else { throw RecordingError(.resource, "\(path): new stream") }
        stream.pointee.time_base = AVRational(num: 1, den: 1000)
        return stream
    }

    /// Fails on a write error that libavformat recorded in the I/O context rather than returned.
    private func checkOutput(_ what: String) throws(RecordingError) {
        guard let output = context?.pointee.pb, output.pointee.error < 0 else { return }
        try check(output.pointee.error, .write, what)
    }

    /// Checks a libav return code once for every call: negative is an error, kept as `failure`
    /// once the header is written, so the writer refuses further packets.
    private func check(_ result: Int32, _ kind: RecordingError.Kind, _ what: String) throws(RecordingError) {
        guard result < 0 else { return }
        let error = RecordingError(kind, code: result, "\(path): \(what): \(Self.errorString(result))")
        if headerWritten, kind == .write { failure = error }
        throw error
    }

    static func errorString(_ code: Int32) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 128) { buffer in
            buffer[0] = 0
            av_strerror(code, buffer.baseAddress, buffer.count)
            return String(cString: buffer.baseAddress!)
        }
    }

    private static func keys(of dictionary: OpaquePointer?) -> String {
        var names: [String] = []
        var entry: UnsafeMutablePointer<AVDictionaryEntry>?
        while let next = av_dict_get(dictionary, "", entry, AV_DICT_IGNORE_SUFFIX) {
            names.append(String(cString: next.pointee.key))
            entry = next
        }
        return names.joined(separator: ", ")
    }
}
