import COpus
import CVPX
import Foundation
import TesseraTransport

/// What the test sent.
struct SentMedia: Sendable {
    var videoFrames = 0
    var keyframes = 0
    var audioFrames = 0
    /// PLI/FIR the peer sent while we were sending.
    var keyframeRequests = 0
    /// Frames `PeerSession.send` refused (not connected, or the peer does not receive the kind).
    var refused = 0
}

/// Real encoded media into one session: VP8 from libvpx and Opus from libopus, paced in
/// real time on 90 kHz / 48 kHz RTP clocks. A keyframe request from the peer (PLI/FIR,
/// seen as the port's `keyframeRequestsIn` counter rising: the session's events stream has
/// one consumer, the supervisor) forces the next frame to be a keyframe.
struct MediaSource {
    let port: MediaPort

    func send(to session: PeerSession, for duration: Duration) async throws -> SentMedia {
        let video = try TestVP8Encoder(width: ServerSentMedia.width, height: ServerSentMedia.height, fps: 30)
        let audio = try OpusToneEncoder(frequency: 440)
        var sent = SentMedia()
        var videoTimestamp = UInt32.random(in: 0...UInt32.max)
        var audioTimestamp = UInt32.random(in: 0...UInt32.max)
        var seenRequests = await port.counters().keyframeRequestsIn

        // The server may finish DTLS a moment after the client: the first send waits for it.
        let first = try audio.encodeNext()
        _ = try await Deadline.waitFor("the session to accept frames", within: .seconds(5)) { () async -> Bool? in
            await session.send(OutboundFrame(kind: .audio, rtpTimestamp: audioTimestamp, data: first)) ? true : nil
        }
        audioTimestamp &+= 960
        sent.audioFrames += 1

        let clock = ContinuousClock()
        let start = clock.now
        var videoIndex = 0
        var audioIndex = 1
        while true {
            let videoDue = start + .nanoseconds(Int64(videoIndex) * 1_000_000_000 / 30)
            let audioDue = start + .milliseconds(20 * audioIndex)
            let next = min(videoDue, audioDue)
            guard next - start < duration else { break }
            try await clock.sleep(until: next)
            if audioDue <= videoDue {
                let packet = try audio.encodeNext()
                if await session.send(OutboundFrame(kind: .audio, rtpTimestamp: audioTimestamp, data: packet)) {
                    sent.audioFrames += 1
                } else {
                    sent.refused += 1
                }
                audioTimestamp &+= 960
                audioIndex += 1
            } else {
                let requests = await port.counters().keyframeRequestsIn
                let forceKeyframe = requests > seenRequests
                sent.keyframeRequests += requests - seenRequests
                seenRequests = requests
                let frame = try video.encode(index: videoIndex, forceKeyframe: forceKeyframe)
                if let frame {
                    if await session.send(OutboundFrame(kind: .video, rtpTimestamp: videoTimestamp, data: frame.data)) {
                        sent.videoFrames += 1
                        if frame.keyframe { sent.keyframes += 1 }
                    } else {
                        sent.refused += 1
                    }
                }
                videoTimestamp &+= 3000
                videoIndex += 1
            }
        }
        return sent
    }
}

/// libvpx VP8 in real-time mode over generated I420 frames (a moving diagonal gradient).
final class TestVP8Encoder {
    private var codec = vpx_codec_ctx_t()
    private let image: UnsafeMutablePointer<vpx_image_t>
    let width: Int
    let height: Int

    init(width: Int, height: Int, fps: Int) throws {
        self.width = width
        self.height = height
        var config = vpx_codec_enc_cfg_t()
        guard vpx_codec_enc_config_default(vpx_codec_vp8_cx(), &config, 0) == VPX_CODEC_OK else {
            throw E2EError("vpx_codec_enc_config_default failed")
        }
        config.g_w = UInt32(width)
        config.g_h = UInt32(height)
        config.g_timebase = vpx_rational(num: 1, den: Int32(fps))
        config.rc_target_bitrate = 400
        config.rc_end_usage = VPX_CBR
        config.g_lag_in_frames = 0
        config.g_threads = 1
        config.g_error_resilient = vpx_codec_er_flags_t(VPX_ERROR_RESILIENT_DEFAULT)
        config.kf_mode = VPX_KF_AUTO
        config.kf_max_dist = 3000
        guard tessera_vpx_enc_init(&codec, vpx_codec_vp8_cx(), &config, 0) == VPX_CODEC_OK else {
            throw E2EError("vpx encoder init failed")
        }
        guard let image = vpx_img_alloc(nil, VPX_IMG_FMT_I420, UInt32(width), UInt32(height), 16) else {
            vpx_codec_destroy(&codec)
            throw E2EError("vpx_img_alloc failed")
        }
        self.image = image
    }

    /// The encoded frame for picture `index` (nil if libvpx dropped it). The first frame is
    /// a keyframe anyway; `forceKeyframe` answers a PLI.
    func encode(index: Int, forceKeyframe: Bool) throws -> (data: [UInt8], keyframe: Bool)? {
        fill(index: index)
        let flags: vpx_enc_frame_flags_t = forceKeyframe ? vpx_enc_frame_flags_t(VPX_EFLAG_FORCE_KF) : 0
        let status = vpx_codec_encode(&codec, image, vpx_codec_pts_t(index), 1, flags, UInt(VPX_DL_REALTIME))
        guard status == VPX_CODEC_OK else { throw E2EError("vpx_codec_encode failed: \(status)") }
        var iterator: vpx_codec_iter_t?
        var result: (data: [UInt8], keyframe: Bool)?
        while let packet = vpx_codec_get_cx_data(&codec, &iterator) {
            guard packet.pointee.kind == VPX_CODEC_CX_FRAME_PKT else { continue }
            let frame = packet.pointee.data.frame
            let bytes = UnsafeRawBufferPointer(start: frame.buf, count: frame.sz)
            result = (Array(bytes), frame.flags & vpx_codec_frame_flags_t(VPX_FRAME_IS_KEY) != 0)
        }
        return result
    }

    private func fill(index: Int) {
        let planes = image.pointee.planes
        let strides = image.pointee.stride
        let luma = planes.0!
        for y in 0..<height {
            for x in 0..<width {
                luma[y * Int(strides.0) + x] = UInt8(truncatingIfNeeded: x + y + 4 * index)
            }
        }
        for (plane, stride, value) in [(planes.1!, strides.1, 90 + index % 60), (planes.2!, strides.2, 160 - index % 60)] {
            for y in 0..<height / 2 {
                for x in 0..<width / 2 { plane[y * Int(stride) + x] = UInt8(value) }
            }
        }
    }

    deinit {
        vpx_img_free(image)
        vpx_codec_destroy(&codec)
    }
}

/// libopus at 48 kHz stereo, 20 ms packets of a sine tone.
final class OpusToneEncoder {
    private let encoder: OpaquePointer
    private let frequency: Double
    private var sample = 0
    static let frameSamples = 960

    init(frequency: Double) throws {
        var error: Int32 = 0
        guard let encoder = opus_encoder_create(48_000, 2, OPUS_APPLICATION_VOIP, &error), error == OPUS_OK else {
            throw E2EError("opus_encoder_create failed: \(error)")
        }
        self.encoder = encoder
        self.frequency = frequency
    }

    func encodeNext() throws -> [UInt8] {
        var pcm = [Int16](repeating: 0, count: Self.frameSamples * 2)
        for i in 0..<Self.frameSamples {
            let value = Int16(8000 * sin(2 * Double.pi * frequency * Double(sample + i) / 48_000))
            pcm[2 * i] = value
            pcm[2 * i + 1] = value
        }
        sample += Self.frameSamples
        var output = [UInt8](repeating: 0, count: 1500)
        let length = opus_encode(encoder, pcm, Int32(Self.frameSamples), &output, Int32(output.count))
        guard length > 0 else { throw E2EError("opus_encode failed: \(length)") }
        return Array(output.prefix(Int(length)))
    }

    deinit { opus_encoder_destroy(encoder) }
}
