public import TesseraMedia

/// How a room mixes (API.md, Rooms: `layout` and `video`), with the mixer's own defaults.
public struct MixerSettings: Sendable, Equatable {
    public enum Layout: String, Sendable { case grid, speaker }

    public var layout: Layout
    public var width: Int
    public var height: Int
    public var fps: Int
    public var bitrateKbps: Int
    /// K: how many active speakers get a personal (N-1) mix and encode.
    public var maxSpeakers: Int
    /// Opus bitrate of every mix, bits per second.
    public var audioBitrate: Int
    /// The VP8 encoder's speed level, `encoderSpeeds` (higher is faster and coarser); the
    /// room encodes at that fixed speed (see `vp8Settings(speed:)`) and goes faster only
    /// when its ticks run long (`EncoderSpeedControl`).
    public var encoderSpeed: Int
    /// A tile whose input sent no new picture for this long shows the placeholder.
    public var placeholderAfter: Duration
    /// An audio input that sent nothing for this long stops being concealed and is silent.
    public var concealFor: Duration

    public init(
        layout: Layout = .grid, width: Int = 1280, height: Int = 720, fps: Int = 30, bitrateKbps: Int = 1500,
        maxSpeakers: Int = 3, audioBitrate: Int = 48_000, encoderSpeed: Int = MixerSettings.defaultEncoderSpeed,
        placeholderAfter: Duration = .seconds(2), concealFor: Duration = .milliseconds(200)
    ) {
        self.layout = layout
        self.width = width
        self.height = height
        self.fps = fps
        self.bitrateKbps = bitrateKbps
        self.maxSpeakers = maxSpeakers
        self.audioBitrate = audioBitrate
        self.encoderSpeed = encoderSpeed
        self.placeholderAfter = placeholderAfter
        self.concealFor = concealFor
    }

    /// The video tick: 1/fps.
    public var frameInterval: Duration { .seconds(1) / fps }

    /// Opus complexity of every mix encoder. A room runs up to K+1 Opus encoders (the
    /// shared mix and each active speaker's), so this weighs on CPU per room: 5 costs about
    /// 14 ms of CPU per second of audio where libopus' default 9 costs about 26 (measured
    /// here, 48 kbit/s mono voip), at the same bitrate, for speech a small quality step.
    public static let opusComplexity = 5

    /// The audio tick, and the duration of every mixed Opus packet: 10 ms.
    ///
    /// An input frame waits for the next tick, so the tick is most of the latency the mixer
    /// adds to audio: with 20 ms ticks the p95 was 29 ms in a server room (issue 7 asks
    /// for 25), with 10 ms about 10 ms less. The price is the packet rate: 100 packets a
    /// second to each receiver instead of 50, about 23 kbit/s more of RTP/UDP/IP headers
    /// and SRTP tags, and twice the audio ticks. Clients send whatever frame length they
    /// like (WebRTC sends 20 ms); inputs are queued and cut into ticks.
    public static let audioInterval: Duration = .milliseconds(10)

    /// Samples in one audio tick at 48 kHz.
    public static let samplesPerAudioTick = OpusCodec.sampleRate / Int(Duration.seconds(1) / audioInterval)
}

extension MixerSettings {
    /// The speed levels a room's encoder runs at.
    public static let encoderSpeeds = 1...16

    /// Speed 5: the knee of libvpx VP8's cost against quality for a room's composite.
    /// Measured here on the benchmark's grid (4 x 640x360 into 1280x720, 1.5 Mbps CBR, one
    /// thread; 640x360 at 800 kbps alike): speed 4 costs 14.8 ms a frame, speed 5 7-9 ms,
    /// and speeds 6-10 only 10-25% less than 5 while losing 0.15-0.55 dB more. Speed 5 is
    /// 0.2 dB PSNR under cpu-used 8's adaptive mode, which spent 15 ms a frame here.
    public static let defaultEncoderSpeed = 5

    /// libvpx's cpu-used for speed level `speed`: negative, a fixed speed. A positive
    /// cpu-used would let libvpx pick the speed by its own wall-clock budget, (16 - n)/16
    /// of the frame interval: on an idle machine it then spends half a core on a 1280x720
    /// mix for 0.2 dB, and each room's cost would move with its neighbours' load.
    public static func vp8CpuUsed(speed: Int) -> Int { -speed }

    /// The room's VP8 encoder settings at speed level `speed`. `VideoEncodeStage` and the
    /// benchmark's floor both encode with these, so the floor does the room's codec work.
    public func vp8Settings(speed: Int, measuresQuality: Bool = false) -> VP8EncoderSettings {
        VP8EncoderSettings(
            width: width, height: height, fps: fps, bitrateKbps: bitrateKbps, speed: Self.vp8CpuUsed(speed: speed),
            measuresQuality: measuresQuality)
    }

    /// An Opus encoder for a mix at `bitrate` bits per second: voip, in-band FEC for 5%
    /// loss, `opusComplexity`. Every mix encoder of a room, and the floor's, is one.
    public static func makeMixEncoder(bitrate: Int) throws -> OpusEncoder {
        let encoder = try OpusEncoder(channels: 1, application: .voip)
        try encoder.setBitrate(bitrate)
        try encoder.setInbandFEC(true, expectedPacketLossPercent: 5)
        try encoder.setComplexity(opusComplexity)
        return encoder
    }
}
