public import TesseraMedia
public import TesseraTransport

/// Lines up one sender's audio and video on the room clock (issue: "map each input's RTP
/// time to the sender's clock via its RTCP SR so that a sender's audio and video play out
/// together").
///
/// For a stream, the room time at which sender wall-clock instant T plays is
/// `T + K`, with `K = mediaTime(rtpSR) − ntpSR + roomOffset` (roomOffset: the playout
/// buffer's base arrival offset plus its jitter delay). Audio and video of one sender play
/// together when their K are equal, so the stream with the smaller K waits the difference.
public struct LipSync: Sendable {
    public struct SenderReportPoint: Sendable, Equatable {
        public var ntp: NTPTime
        public var rtpTimestamp: UInt32

        public init(ntp: NTPTime, rtpTimestamp: UInt32) {
            self.ntp = ntp
            self.rtpTimestamp = rtpTimestamp
        }
    }

    public var audio: SenderReportPoint?
    public var video: SenderReportPoint?
    /// Differences above this are treated as a broken sender clock and not followed.
    public static let maxCorrection: Duration = .seconds(1)

    public init() {}

    /// The extra delays to set on the audio and the video playout buffers; nil until both
    /// streams have a sender report and frames.
    public func syncDelays<A, V>(audio audioBuffer: PlayoutBuffer<A>, video videoBuffer: PlayoutBuffer<V>)
        -> (audio: Duration, video: Duration)?
    {
        guard let audio, let video,
            let audioK = Self.constant(audio, audioBuffer), let videoK = Self.constant(video, videoBuffer)
        else { return nil }
        let difference = videoK - audioK
        guard abs(difference) <= Self.maxCorrection else { return nil }
        return difference > .zero ? (difference, .zero) : (.zero, .zero - difference)
    }

    private static func constant<F>(_ report: SenderReportPoint, _ buffer: PlayoutBuffer<F>) -> Duration? {
        guard let media = buffer.mediaTime(ofRTP: report.rtpTimestamp), let offset = buffer.roomOffset else { return nil }
        return media - .seconds(report.ntp.secondsSince1970) + offset
    }
}

private func abs(_ value: Duration) -> Duration { value < .zero ? .zero - value : value }
