import CFFmpeg

/// The container library that writes recordings, for the start-up log and `tessera version`.
public enum ContainerLibraries {
    public static var versions: [String: String] {
        let packed = avformat_version()
        return ["libavformat": "\(packed >> 16).\((packed >> 8) & 0xFF).\(packed & 0xFF)"]
    }
}
