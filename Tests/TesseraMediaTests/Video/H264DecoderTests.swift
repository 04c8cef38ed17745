import CFFmpeg
import Testing
import TesseraMedia

/// Test-only H.264 source: libavcodec's libx264 encoder (Debian's libavcodec links it),
/// producing Annex-B access units with SPS/PPS in band, as a WebRTC sender does.
private final class X264TestEncoder {
    private var context: UnsafeMutablePointer<AVCodecContext>?
    private var frame: UnsafeMutablePointer<AVFrame>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var pts: Int64 = 0

    static var isAvailable: Bool { avcodec_find_encoder_by_name("libx264") != nil }

    init(width: Int32, height: Int32, format: AVPixelFormat) throws {
        let codec = try #require(avcodec_find_encoder_by_name("libx264"))
        context = avcodec_alloc_context3(codec)
        frame = av_frame_alloc()
        packet = av_packet_alloc()
        let context = try #require(context), frame = try #require(frame)
        context.pointee.width = width
        context.pointee.height = height
        context.pointee.pix_fmt = format
        context.pointee.time_base = AVRational(num: 1, den: 30)
        context.pointee.max_b_frames = 0
        context.pointee.thread_count = 1
        av_opt_set(context.pointee.priv_data, "preset", "ultrafast", 0)
        av_opt_set(context.pointee.priv_data, "tune", "zerolatency", 0)
        try #require(avcodec_open2(context, codec, nil) >= 0)
        frame.pointee.format = format.rawValue
        frame.pointee.width = width
        frame.pointee.height = height
        try #require(av_frame_get_buffer(frame, 0) >= 0)
    }

    deinit {
        avcodec_free_context(&context)
        av_frame_free(&frame)
        av_packet_free(&packet)
    }

    /// One solid-colour picture, encoded; the access unit in Annex-B form.
    func encode(y: UInt8, u: UInt8, v: UInt8) throws -> [UInt8] {
        let context = try #require(context), frame = try #require(frame), packet = try #require(packet)
        try #require(av_frame_make_writable(frame) >= 0)
        let chromaRows = context.pointee.pix_fmt == AV_PIX_FMT_YUV420P ? (frame.pointee.height + 1) / 2 : frame.pointee.height
        for (plane, value, rows) in [(0, y, frame.pointee.height), (1, u, chromaRows), (2, v, chromaRows)] {
            let data = withUnsafeBytes(of: frame.pointee.data) { $0.load(fromByteOffset: plane * 8, as: UnsafeMutablePointer<UInt8>.self) }
            let stride = withUnsafeBytes(of: frame.pointee.linesize) { $0.load(fromByteOffset: plane * 4, as: Int32.self) }
            data.update(repeating: value, count: Int(stride * rows))
        }
        frame.pointee.pts = pts
        pts += 1
        try #require(avcodec_send_frame(context, frame) >= 0)
        try #require(avcodec_receive_packet(context, packet) >= 0)
        defer { av_packet_unref(packet) }
        return Array(UnsafeBufferPointer(start: packet.pointee.data, count: Int(packet.pointee.size)))
    }
}

@Suite struct H264DecoderTests {
    @Test(.enabled(if: X264TestEncoder.isAvailable, "libavcodec was built without libx264"), arguments: [false, true])
    func solidColourSurvivesEncodeAndDecode(fullChroma: Bool) throws {
        // 4:4:4 input makes the decoder output yuv444p, exercising the libswscale conversion.
        let encoder = try X264TestEncoder(width: 320, height: 240, format: fullChroma ? AV_PIX_FMT_YUV444P : AV_PIX_FMT_YUV420P)
        let decoder = try H264Decoder()
        var decoded: I420Frame?
        for _ in 0..<3 {
            let accessUnit = try encoder.encode(y: 81, u: 90, v: 240)
            #expect(accessUnit.starts(with: [0, 0, 0, 1]) || accessUnit.starts(with: [0, 0, 1]))
            if let frame = try decoder.decode(accessUnit) {
                if let previous = decoded { decoder.pool.recycle(previous) }
                decoded = frame
            }
        }
        let frame = try #require(decoded)
        #expect(frame.width == 320 && frame.height == 240)
        let mean = meanColour(of: frame)
        #expect(abs(mean.y - 81) <= 6)
        #expect(abs(mean.u - 90) <= 6)
        #expect(abs(mean.v - 240) <= 6)
    }

    @Test func garbageIsRefusedOrIgnoredAndEmptyIsBadInput() throws {
        let decoder = try H264Decoder()
        var noise = TestNoise(seed: 11)
        for length in [1, 5, 64, 1000] {
            // Without a start code libavcodec may skip the bytes silently; either way: no picture, no crash.
            let picture = try? decoder.decode(noise.bytes(length))
            #expect(picture == nil)
        }
        let withStartCodes: [UInt8] = [0, 0, 0, 1, 0x67] + noise.bytes(40) + [0, 0, 0, 1, 0x65] + noise.bytes(400)
        let picture = try? decoder.decode(withStartCodes)
        #expect(picture == nil)
        #expect(throws: MediaError(.badInput, "empty H.264 access unit")) { _ = try decoder.decode([]) }
    }

    @Test(.enabled(if: X264TestEncoder.isAvailable, "libavcodec was built without libx264"))
    func decoderRecoversAfterGarbage() throws {
        let decoder = try H264Decoder()
        var noise = TestNoise(seed: 5)
        _ = try? decoder.decode([0, 0, 0, 1, 0x65] + noise.bytes(300))
        let encoder = try X264TestEncoder(width: 160, height: 120, format: AV_PIX_FMT_YUV420P)
        let frame = try #require(try decoder.decode(try encoder.encode(y: 200, u: 60, v: 180)))
        #expect(frame.width == 160 && frame.height == 120)
        #expect(abs(meanColour(of: frame).y - 200) <= 6)
    }
}
