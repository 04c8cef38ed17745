import TesseraMedia
import TesseraTransport

/// One participant's camera inside the room: its playout buffer, its decoder (VP8 or
/// H.264, following the stream), and the newest picture its tile shows.
///
/// Every frame is decoded in order (inter frames need their references); the tile shows
/// the newest. Until a keyframe arrives, and after a decode error, frames are skipped and
/// the room asks the sender for a keyframe; the tile keeps its last picture meanwhile.
final class VideoInput {
    var playout = PlayoutBuffer<InboundFrame>(clockRate: 90_000)
    private let pool = I420FramePool(capacity: 3)
    private var vp8: VP8Decoder?
    private var h264: H264Decoder?
    /// The picture the tile shows; owned here, recycled when a newer one replaces it.
    private(set) var picture: I420Frame?
    /// When the newest picture was decoded (room time).
    private(set) var pictureTime: Duration?
    /// When the last packet of the picture decoded by the latest `update` arrived; nil
    /// when that update decoded nothing new.
    private(set) var freshArrival: Duration?
    /// How long the pictures it showed waited for their tick once ready (`VideoTickAlignment`).
    var readyWaits = ReadyWaits()
    private(set) var ssrc: UInt32?
    private var awaitingKeyframe = true
    private(set) var framesDecoded = 0
    private(set) var decodeErrors = 0
    private(set) var skippedFrames = 0
    /// Frames not decoded because the input was hidden.
    private(set) var hiddenFrames = 0

    func insert(_ frame: InboundFrame) {
        ssrc = frame.ssrc
        playout.insert(frame, rtpTimestamp: frame.rtpTimestamp, arrival: frame.arrival)
    }

    /// Decodes every frame due by `horizon`, for the video tick at `now`; returns true when
    /// the sender should be asked for a keyframe (a decode failed, or frames arrive but
    /// none is a keyframe).
    ///
    /// A hidden input (video-muted: its tile is the placeholder) is not decoded: its due
    /// frames are dropped, and once shown again it waits for the keyframe it asks for.
    func update(until horizon: Duration, now: Duration, shown: Bool = true) -> Bool {
        var needsKeyframe = false
        freshArrival = nil
        guard shown else {
            while playout.popDue(at: horizon) != nil { hiddenFrames += 1 }
            awaitingKeyframe = true
            return false
        }
        while let frame = playout.popDue(at: horizon) {
            if awaitingKeyframe && !frame.isKeyframe {
                skippedFrames += 1
                needsKeyframe = true
                continue
            }
            do {
                guard let decoded = try decode(frame) else { continue }
                if let picture { pool.recycle(picture) }
                picture = decoded
                pictureTime = now
                freshArrival = frame.arrival
                recordWait(of: frame, until: horizon, now: now)
                framesDecoded += 1
                awaitingKeyframe = false
            } catch {
                decodeErrors += 1
                awaitingKeyframe = true
                needsKeyframe = true
            }
        }
        return needsKeyframe
    }

    /// A frame is ready once it has arrived and is due by a tick's horizon: `horizon − now`
    /// before its playout time. Not recorded: a frame ready after the tick's time (the tick
    /// ran late, as it does in a room short of CPU: its wait says nothing of the input's
    /// phase, and counted as none it would move the ticks after the lateness), and a wait of a
    /// whole frame interval or more (twice the lead: a tick held up).
    private func recordWait(of frame: InboundFrame, until horizon: Duration, now: Duration) {
        let lead = horizon - now
        let due = (playout.releasedPlayoutTime ?? frame.arrival) - lead
        let wait = now - max(frame.arrival, due)
        guard wait >= .zero, wait < lead * 2 else { return }
        readyWaits.record(wait)
    }

    private func decode(_ frame: InboundFrame) throws(MediaError) -> I420Frame? {
        switch frame.codec {
        case .vp8:
            if vp8 == nil { vp8 = try VP8Decoder(pool: pool) }
            return try vp8?.decode(frame.data)
        case .h264:
            if h264 == nil { h264 = try H264Decoder(pool: pool) }
            return try h264?.decode(frame.data)
        case .opus:
            throw MediaError(.badInput, "audio frame on a video input")
        }
    }

    /// The picture to show at `now`, nil once it is older than `staleAfter` (placeholder).
    func currentPicture(now: Duration, staleAfter: Duration) -> I420Frame? {
        guard let picture, let pictureTime, now - pictureTime <= staleAfter else { return nil }
        return picture
    }
}
