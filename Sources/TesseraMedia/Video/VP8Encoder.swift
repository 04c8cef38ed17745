import CVPX
import Glibc

/// One compressed VP8 frame. `bytes` is one of the encoder's reused buffers: it stays as it
/// is however long it is kept (copy-on-write gives the encoder a new buffer instead).
public struct EncodedFrame: Sendable, Equatable {
    public var bytes: [UInt8]
    public var isKeyframe: Bool
    public var pts: Int64

    public init(bytes: [UInt8], isKeyframe: Bool, pts: Int64) {
        self.bytes = bytes
        self.isKeyframe = isKeyframe
        self.pts = pts
    }
}

/// Settings of a `VP8Encoder` chosen at creation.
public struct VP8EncoderSettings: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var fps: Int
    public var bitrateKbps: Int
    /// VP8E_SET_CPUUSED, -16...16. Negative: a fixed speed, -n (higher n is faster and
    /// coarser), so a frame costs the same CPU whatever else the machine does. Positive:
    /// libvpx picks the speed itself, frame by frame, to keep each encode within
    /// (16 - n)/16 of the frame interval by its own wall clock; on an idle machine that is a
    /// slow speed, under load a fast one.
    public var speed: Int
    /// Longest gap between keyframes, in seconds, so a receiver that lost one recovers.
    public var keyframeIntervalSeconds: Int
    /// Has libvpx measure each frame's reconstruction error (`VP8Encoder.quality`). It costs
    /// CPU, so only a benchmark's quality run asks for it.
    public var measuresQuality: Bool

    public init(
        width: Int, height: Int, fps: Int = 30, bitrateKbps: Int = 800, speed: Int = 8, keyframeIntervalSeconds: Int = 3,
        measuresQuality: Bool = false
    ) {
        self.width = width
        self.height = height
        self.fps = fps
        self.bitrateKbps = bitrateKbps
        self.speed = speed
        self.keyframeIntervalSeconds = keyframeIntervalSeconds
        self.measuresQuality = measuresQuality
    }
}

/// The encoder's error summed over every frame since it was made, as libvpx measures it
/// (`VPX_CODEC_USE_PSNR`: the reconstructed frame, after the loop filter, against the
/// input), over all three planes.
public struct VP8Quality: Sendable, Equatable {
    public var squaredError: UInt64 = 0
    public var samples: UInt64 = 0
    public var frames = 0

    public init() {}

    /// PSNR of the whole stream (of the mean squared error, as ffmpeg's `-psnr` reports
    /// it), in dB; nil before the first measured frame.
    public var psnr: Double? {
        guard samples > 0 else { return nil }
        guard squaredError > 0 else { return .infinity }
        return 10 * log10(255.0 * 255.0 * Double(samples) / Double(squaredError))
    }
}

/// A libvpx VP8 encoder (vp8_cx) for a room's composite: realtime deadline, one thread,
/// CBR, error-resilient, no lag, periodic keyframes plus keyframes on demand (PLI/FIR).
/// Frames are never dropped by rate control, so each `encode` yields one frame.
public final class VP8Encoder {
    public let width: Int
    public let height: Int
    public private(set) var bitrateKbps: Int
    public private(set) var speed: Int
    /// Filled only with `VP8EncoderSettings.measuresQuality`.
    public private(set) var quality = VP8Quality()
    private var config: vpx_codec_enc_cfg_t
    private let context: UnsafeMutablePointer<vpx_codec_ctx_t>
    private var image = vpx_image_t()
    private var keyframeRequested = false
    private var output: [EncodedFrame] = []
    /// The encoded bytes go into these arrays in turn. A frame's bytes leave with `encode`'s
    /// result (a room's sessions packetize them on their own threads), so a slot is refilled
    /// with `removeAll(keepingCapacity:)`: that keeps its memory when nobody holds the array
    /// any more and otherwise (copy-on-write) gives the slot a new one, never touching the
    /// bytes a consumer still has. Taking the slots in turn gives consumers that many frame
    /// intervals to let go, so a steady stream of frames allocates nothing.
    private var buffers = [[UInt8]](repeating: [], count: VP8Encoder.bufferCount)
    private var nextBuffer = 0
    private var largestFrame = 0
    /// Output buffers used in turn (about 130 ms at 30 fps).
    public static let bufferCount = 4

    public convenience init(width: Int, height: Int, fps: Int = 30, bitrateKbps: Int = 800, speed: Int = 8) throws(MediaError) {
        try self.init(VP8EncoderSettings(width: width, height: height, fps: fps, bitrateKbps: bitrateKbps, speed: speed))
    }

    public init(_ settings: VP8EncoderSettings) throws(MediaError) {
        guard settings.width > 0, settings.height > 0, settings.width <= 16383, settings.height <= 16383,
              settings.fps > 0, settings.bitrateKbps > 0, settings.keyframeIntervalSeconds > 0
        else { throw MediaError(.badInput, "VP8 encoder settings \(settings)") }
        width = settings.width
        height = settings.height
        bitrateKbps = settings.bitrateKbps
        speed = settings.speed
        // Configured and initialised in locals, so a failure here never reaches deinit's vpx_codec_destroy.
        var config = vpx_codec_enc_cfg_t()
        let defaults = vpx_codec_enc_config_default(vpx_codec_vp8_cx(), &config, 0)
        guard defaults == VPX_CODEC_OK else {
            throw MediaError(.codec(code: Int32(defaults.rawValue)), "vp8 encoder defaults")
        }
        config.g_w = UInt32(width)
        config.g_h = UInt32(height)
        config.g_timebase = vpx_rational(num: 1, den: Int32(settings.fps))
        config.rc_target_bitrate = UInt32(bitrateKbps)
        config.rc_end_usage = VPX_CBR
        config.rc_dropframe_thresh = 0
        config.g_pass = VPX_RC_ONE_PASS
        config.g_threads = 1
        config.g_lag_in_frames = 0
        config.g_error_resilient = vpx_codec_er_flags_t(VPX_ERROR_RESILIENT_DEFAULT)
        config.kf_mode = VPX_KF_AUTO
        config.kf_min_dist = 0
        config.kf_max_dist = UInt32(settings.fps * settings.keyframeIntervalSeconds)
        let context = UnsafeMutablePointer<vpx_codec_ctx_t>.allocate(capacity: 1)
        context.initialize(to: vpx_codec_ctx_t())
        let flags = settings.measuresQuality ? vpx_codec_flags_t(VPX_CODEC_USE_PSNR) : 0
        let result = tessera_vpx_enc_init(context, vpx_codec_vp8_cx(), &config, flags)
        guard result == VPX_CODEC_OK else {
            context.deallocate()
            throw MediaError(.codec(code: Int32(result.rawValue)), "vp8 encoder init: \(String(cString: vpx_codec_err_to_string(result)))")
        }
        self.config = config
        self.context = context
        try check(tessera_vp8e_set_cpuused(context, Int32(speed)), "set speed")
        output.reserveCapacity(2)
    }

    deinit {
        vpx_codec_destroy(context)
        context.deallocate()
    }

    /// Makes the next encoded frame a keyframe (answer to PLI/FIR, a new receiver).
    public func requestKeyframe() { keyframeRequested = true }

    /// Changes the target bitrate from the next frame on (REMB / TWCC estimate).
    public func setBitrate(kbps: Int) throws(MediaError) {
        guard kbps > 0 else { throw MediaError(.badInput, "bitrate \(kbps) kbps") }
        config.rc_target_bitrate = UInt32(kbps)
        try check(vpx_codec_enc_config_set(context, &config), "set bitrate")
        bitrateKbps = kbps
    }

    /// Changes VP8E_SET_CPUUSED (-16...16; higher is faster and coarser).
    public func setSpeed(_ speed: Int) throws(MediaError) {
        guard (-16...16).contains(speed) else { throw MediaError(.badInput, "VP8 speed \(speed)") }
        try check(tessera_vp8e_set_cpuused(context, Int32(speed)), "set speed")
        self.speed = speed
    }

    /// Encodes `frame` (which must have the encoder's size) at `pts`, in 1/fps units.
    /// The returned frames reuse the encoder's buffers (see `buffers`).
    public func encode(_ frame: I420Frame, pts: Int64) throws(MediaError) -> [EncodedFrame] {
        guard frame.width == width, frame.height == height else {
            throw MediaError(.badInput, "frame \(frame.width)x\(frame.height) for a \(width)x\(height) encoder")
        }
        guard vpx_img_wrap(&image, VPX_IMG_FMT_I420, UInt32(width), UInt32(height), 1, frame.planeY) != nil else {
            throw MediaError(.resource, "vpx_img_wrap")
        }
        image.planes = (frame.planeY, frame.planeU, frame.planeV, nil)
        image.stride = (Int32(frame.strideY), Int32(frame.strideUV), Int32(frame.strideUV), 0)
        let flags = keyframeRequested ? vpx_enc_frame_flags_t(VPX_EFLAG_FORCE_KF) : 0
        try check(vpx_codec_encode(context, &image, pts, 1, flags, UInt(VPX_DL_REALTIME)), "encode")
        keyframeRequested = false

        // Let go of the last call's frames first: the slots they share must be ours alone.
        output.removeAll(keepingCapacity: true)
        var iterator: vpx_codec_iter_t? = nil
        while let packet = vpx_codec_get_cx_data(context, &iterator) {
            if packet.pointee.kind == VPX_CODEC_PSNR_PKT {
                quality.squaredError += packet.pointee.data.psnr.sse.0
                quality.samples += UInt64(packet.pointee.data.psnr.samples.0)
                quality.frames += 1
            }
            guard packet.pointee.kind == VPX_CODEC_CX_FRAME_PKT else { continue }
            let compressed = packet.pointee.data.frame
            let slot = nextBuffer
            nextBuffer = (nextBuffer + 1) % Self.bufferCount
            empty(slot, for: compressed.sz)
            buffers[slot].append(contentsOf: UnsafeRawBufferPointer(start: compressed.buf, count: compressed.sz))
            let isKeyframe = compressed.flags & vpx_codec_frame_flags_t(VPX_FRAME_IS_KEY) != 0
            output.append(EncodedFrame(bytes: buffers[slot], isKeyframe: isKeyframe, pts: compressed.pts))
        }
        return output
    }

    /// Empties a slot for a frame of `size` bytes, keeping its memory if that is big enough
    /// (and nobody else holds it). A slot that must grow takes twice the largest frame so
    /// far, so the periodic keyframes that come later fit in it too.
    private func empty(_ slot: Int, for size: Int) {
        largestFrame = max(largestFrame, size)
        if buffers[slot].capacity >= size {
            buffers[slot].removeAll(keepingCapacity: true)
        } else {
            buffers[slot] = []
            buffers[slot].reserveCapacity(2 * largestFrame)
        }
    }

    private func check(_ result: vpx_codec_err_t, _ what: String) throws(MediaError) {
        guard result == VPX_CODEC_OK else {
            let detail = vpx_codec_error_detail(context).map { String(cString: $0) } ?? ""
            throw MediaError(.codec(code: Int32(result.rawValue)), "vp8 \(what): \(String(cString: vpx_codec_err_to_string(result))) \(detail)")
        }
    }
}
