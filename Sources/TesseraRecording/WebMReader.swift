import CFFmpeg

/// Reads the encoded packets of a WebM (or any libavformat-readable) file with one VP8 and/or
/// one Opus stream, without decoding: the benchmark's inputs, and a way for tests to look
/// inside a recording.
public enum WebMReader {
    public struct Packet: Sendable, Equatable {
        public enum Kind: Sendable, Equatable { case video, audio }

        public let kind: Kind
        /// Presentation time from the start of the file.
        public let time: Duration
        public let isKeyframe: Bool
        public let data: [UInt8]
    }

    /// Every VP8 and Opus packet of the file at `path`, in file order. Other streams are
    /// skipped. Throws `.open` when the file cannot be opened or parsed.
    public static func packets(of path: String) throws(RecordingError) -> [Packet] {
        var context: UnsafeMutablePointer<AVFormatContext>?
        var result = avformat_open_input(&context, path, nil, nil)
        guard result >= 0, let context else {
            throw RecordingError(.open, code: result, "\(path): cannot open: \(WebMWriter.errorString(result))")
        }
        var owned: UnsafeMutablePointer<AVFormatContext>? = context
        defer { avformat_close_input(&owned) }
        result = avformat_find_stream_info(context, nil)
        guard result >= 0 else {
            throw RecordingError(.open, code: result, "\(path): no stream info: \(WebMWriter.errorString(result))")
        }
        var kinds: [Int32: (kind: Packet.Kind, timeBase: AVRational)] = [:]
        for index in 0..<Int(context.pointee.nb_streams) {
            guard let stream = context.pointee.streams[index], let parameters = stream.pointee.codecpar else { continue }
            switch parameters.pointee.codec_id {
            case AV_CODEC_ID_VP8: kinds[Int32(index)] = (.video, stream.pointee.time_base)
            case AV_CODEC_ID_OPUS: kinds[Int32(index)] = (.audio, stream.pointee.time_base)
            default: continue
            }
        }
        guard !kinds.isEmpty else { throw RecordingError(.open, "\(path): neither a VP8 nor an Opus stream") }
        var allocated = av_packet_alloc()
        defer { av_packet_free(&allocated) }
        guard let packet = allocated else { throw RecordingError(.resource, "\(path): cannot allocate a packet") }
        var packets: [Packet] = []
        while av_read_frame(context, packet) >= 0 {
            defer { av_packet_unref(packet) }
            guard let stream = kinds[packet.pointee.stream_index], packet.pointee.size > 0, let data = packet.pointee.data else { continue }
            let pts = packet.pointee.pts == Int64.min ? packet.pointee.dts : packet.pointee.pts
            let nanoseconds = (Double(pts) * Double(stream.timeBase.num) * 1e9 / Double(stream.timeBase.den)).rounded()
            packets.append(
                Packet(
                    kind: stream.kind, time: .nanoseconds(Int64(nanoseconds)), isKeyframe: packet.pointee.flags & AV_PKT_FLAG_KEY != 0,
                    data: Array(UnsafeBufferPointer(start: data, count: Int(packet.pointee.size)))))
        }
        return packets
    }
}
