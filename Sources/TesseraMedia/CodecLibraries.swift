import CFFmpeg
import COpus
import CVPX

/// Versions of the codec libraries the media layer links, for the start-up log and `tessera version`.
public enum CodecLibraries {
    public static var versions: [String: String] {
        [
            "opus": String(cString: opus_get_version_string()),
            "libvpx": String(cString: vpx_codec_version_str()),
            "libavcodec": String(cString: av_version_info()),
            "libswscale": FFmpegVersion.string(swscale_version()),
        ]
    }
}

/// FFmpeg packs versions as major << 16 | minor << 8 | micro.
enum FFmpegVersion {
    static func string(_ packed: UInt32) -> String { "\(packed >> 16).\((packed >> 8) & 0xFF).\(packed & 0xFF)" }
}
