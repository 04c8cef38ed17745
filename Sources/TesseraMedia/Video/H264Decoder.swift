import CFFmpeg
import Glibc

/// A libavcodec H.264 decoder for one inbound stream (Annex-B access units in, I420 out).
///
/// The packet, the frame and a padded input buffer are allocated once and reused. Each
/// picture is copied into a frame taken from `pool` (through libswscale only when the
/// stream is not 4:2:0 planar); the caller owns it and hands it back with `pool.recycle(_:)`.
public final class H264Decoder {
    public let pool: I420FramePool
    private var context: UnsafeMutablePointer<AVCodecContext>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var picture: UnsafeMutablePointer<AVFrame>?
    private var input: UnsafeMutableRawBufferPointer
    private var converter: OpaquePointer?

    /// AVERROR(EAGAIN) and AVERROR_EOF: the decoder wants more input / is drained.
    private static let needsInput = -EAGAIN
    private static let endOfStream: Int32 = -Int32(bitPattern: 0x2046_4F45)  // FFERRTAG('E','O','F',' ')
    private static let padding = 64  // AV_INPUT_BUFFER_PADDING_SIZE

    public init(pool: I420FramePool = I420FramePool()) throws(MediaError) {
        self.pool = pool
        input = .allocate(byteCount: 64 * 1024 + Self.padding, alignment: 64)
        // From here every property is set, so a throw runs deinit, which frees what was allocated.
        guard let codec = avcodec_find_decoder(AV_CODEC_ID_H264) else {
            throw MediaError(.unsupported, "libavcodec has no H.264 decoder")
        }
        context = avcodec_alloc_context3(codec)
        packet = av_packet_alloc()
        picture = av_frame_alloc()
        guard let context, packet != nil, picture != nil else { throw MediaError(.resource, "H.264 decoder allocation") }
        context.pointee.thread_count = 1
        context.pointee.flags |= Int32(AV_CODEC_FLAG_LOW_DELAY)
        try check(avcodec_open2(context, codec, nil), "open")
    }

    deinit {
        avcodec_free_context(&context)
        av_packet_free(&packet)
        av_frame_free(&picture)
        sws_freeContext(converter)
        input.deallocate()
    }

    /// Decodes one Annex-B access unit; returns nil while the decoder has no picture to show.
    public func decode(_ annexB: [UInt8]) throws(MediaError) -> I420Frame? {
        guard !annexB.isEmpty, annexB.count <= Int(Int32.max) - Self.padding else {
            throw MediaError(.badInput, "empty H.264 access unit")
        }
        guard let context, let packet, let picture else { throw MediaError(.resource, "H.264 decoder not allocated") }
        if input.count < annexB.count + Self.padding {
            input.deallocate()
            input = .allocate(byteCount: (annexB.count + Self.padding) * 2, alignment: 64)
        }
        annexB.withUnsafeBytes { input.copyMemory(from: $0) }
        input.baseAddress!.advanced(by: annexB.count).initializeMemory(as: UInt8.self, repeating: 0, count: Self.padding)
        packet.pointee.data = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
        packet.pointee.size = Int32(annexB.count)
        defer { av_packet_unref(packet) }
        try check(avcodec_send_packet(context, packet), "send")

        var frame: I420Frame?
        while true {
            let received = avcodec_receive_frame(context, picture)
            if received == Self.needsInput || received == Self.endOfStream { break }
            try check(received, "receive")
            defer { av_frame_unref(picture) }
            if let older = frame { pool.recycle(older) }
            frame = try copy(picture.pointee)
        }
        return frame
    }

    private func copy(_ picture: AVFrame) throws(MediaError) -> I420Frame {
        guard picture.width > 0, picture.height > 0 else { throw MediaError(.badInput, "H.264 picture without a size") }
        let frame = pool.take(width: Int(picture.width), height: Int(picture.height))
        let format = AVPixelFormat(rawValue: picture.format)
        if format == AV_PIX_FMT_YUV420P || format == AV_PIX_FMT_YUVJ420P {
            copyPlane(picture.data.0, Int(picture.linesize.0), into: frame.planeY, frame.strideY, width: frame.width, height: frame.height)
            copyPlane(picture.data.1, Int(picture.linesize.1), into: frame.planeU, frame.strideUV, width: frame.chromaWidth, height: frame.chromaHeight)
            copyPlane(picture.data.2, Int(picture.linesize.2), into: frame.planeV, frame.strideUV, width: frame.chromaWidth, height: frame.chromaHeight)
            return frame
        }
        converter = sws_getCachedContext(converter, picture.width, picture.height, format,
                                         picture.width, picture.height, AV_PIX_FMT_YUV420P, SWS_BILINEAR, nil, nil, nil)
        guard let converter else {
            pool.recycle(frame)
            throw MediaError(.unsupported, "H.264 pixel format \(picture.format)")
        }
        var planes: (UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt8>?) =
            (frame.planeY, frame.planeU, frame.planeV, nil)
        var strides: (Int32, Int32, Int32, Int32) = (Int32(frame.strideY), Int32(frame.strideUV), Int32(frame.strideUV), 0)
        let rows = withUnsafeBytes(of: picture.data) { sourcePlanes in
            withUnsafeBytes(of: picture.linesize) { sourceStrides in
                withUnsafeBytes(of: &planes) { planes in
                    withUnsafeBytes(of: &strides) { strides in
                        sws_scale(converter,
                                  sourcePlanes.baseAddress!.assumingMemoryBound(to: UnsafePointer<UInt8>?.self),
                                  sourceStrides.baseAddress!.assumingMemoryBound(to: Int32.self), 0, picture.height,
                                  planes.baseAddress!.assumingMemoryBound(to: UnsafeMutablePointer<UInt8>?.self),
                                  strides.baseAddress!.assumingMemoryBound(to: Int32.self))
                    }
                }
            }
        }
        guard rows == picture.height else {
            pool.recycle(frame)
            throw MediaError(.codec(code: rows), "H.264 pixel conversion wrote \(rows) rows")
        }
        return frame
    }

    private func check(_ result: Int32, _ what: String) throws(MediaError) {
        guard result >= 0 else {
            let text = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 128) { buffer in
                buffer[0] = 0
                av_strerror(result, buffer.baseAddress, buffer.count)
                return String(cString: buffer.baseAddress!)
            }
            throw MediaError(.codec(code: result), "H.264 \(what): \(text)")
        }
    }
}
