import CVPX

/// A libvpx VP8 decoder (vp8_dx) for one inbound video stream.
///
/// Each decoded picture is copied into a frame taken from `pool`; the caller owns the
/// returned frame and hands it back with `pool.recycle(_:)` when the tile no longer shows it.
/// The copy (one memcpy per row) keeps libvpx's internal image private to the decoder,
/// which reuses it on the next call. Resolution changes follow the bitstream.
public final class VP8Decoder {
    public let pool: I420FramePool
    private let context: UnsafeMutablePointer<vpx_codec_ctx_t>

    public init(pool: I420FramePool = I420FramePool()) throws(MediaError) {
        self.pool = pool
        // Initialised before it is stored, so a failure never reaches deinit's vpx_codec_destroy.
        let context = UnsafeMutablePointer<vpx_codec_ctx_t>.allocate(capacity: 1)
        context.initialize(to: vpx_codec_ctx_t())
        var config = vpx_codec_dec_cfg_t(threads: 1, w: 0, h: 0)
        let result = tessera_vpx_dec_init(context, vpx_codec_vp8_dx(), &config, 0)
        guard result == VPX_CODEC_OK else {
            context.deallocate()
            throw MediaError(.codec(code: Int32(result.rawValue)), "vp8 decoder init: \(String(cString: vpx_codec_err_to_string(result)))")
        }
        self.context = context
    }

    deinit {
        vpx_codec_destroy(context)
        context.deallocate()
    }

    /// Decodes one complete VP8 frame; returns nil when the frame produced no picture.
    public func decode(_ data: [UInt8]) throws(MediaError) -> I420Frame? {
        let result = data.withUnsafeBytes { bytes in Result { () throws(MediaError) in try decode(bytes) } }
        return try result.get()
    }

    /// Decodes one complete VP8 frame; returns nil when the frame produced no picture.
    public func decode(_ data: UnsafeRawBufferPointer) throws(MediaError) -> I420Frame? {
        guard let base = data.baseAddress, !data.isEmpty, data.count <= Int(UInt32.max) else {
            throw MediaError(.badInput, "empty VP8 frame")
        }
        try check(vpx_codec_decode(context, base.assumingMemoryBound(to: UInt8.self), UInt32(data.count), nil, 0))
        var iterator: vpx_codec_iter_t? = nil
        var newest: UnsafeMutablePointer<vpx_image_t>? = nil
        while let image = vpx_codec_get_frame(context, &iterator) { newest = image }
        guard let image = newest?.pointee else { return nil }
        guard image.fmt == VPX_IMG_FMT_I420 else { throw MediaError(.unsupported, "VP8 image format \(image.fmt.rawValue)") }
        let frame = pool.take(width: Int(image.d_w), height: Int(image.d_h))
        copyPlane(image.planes.0, Int(image.stride.0), into: frame.planeY, frame.strideY, width: frame.width, height: frame.height)
        copyPlane(image.planes.1, Int(image.stride.1), into: frame.planeU, frame.strideUV, width: frame.chromaWidth, height: frame.chromaHeight)
        copyPlane(image.planes.2, Int(image.stride.2), into: frame.planeV, frame.strideUV, width: frame.chromaWidth, height: frame.chromaHeight)
        return frame
    }

    private func check(_ result: vpx_codec_err_t) throws(MediaError) {
        guard result == VPX_CODEC_OK else {
            let detail = vpx_codec_error_detail(context).map { String(cString: $0) } ?? ""
            throw MediaError(.codec(code: Int32(result.rawValue)), "vp8 decode: \(String(cString: vpx_codec_err_to_string(result))) \(detail)")
        }
    }
}

/// Row-by-row copy between planes of different strides.
func copyPlane(_ source: UnsafeMutablePointer<UInt8>?, _ sourceStride: Int, into destination: UnsafeMutablePointer<UInt8>, _ destinationStride: Int, width: Int, height: Int) {
    guard let source else { return }
    for row in 0..<height {
        (destination + row * destinationStride).update(from: source + row * sourceStride, count: width)
    }
}
