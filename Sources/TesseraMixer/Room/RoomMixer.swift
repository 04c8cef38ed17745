import TesseraMedia
public import TesseraTransport

/// The mixing core of one room, without threads or timers: inputs go in as they arrive,
/// and every audio tick (10 ms) `mixAudio(at:)` and every 1/fps `mixVideo(at:)` return what to send
/// (ARCHITECTURE.md, "Room mixer"). `LiveRoom` drives it on the room's own executor; tests
/// drive it under a manual clock. Times are on one monotonic clock (the media port's);
/// outbound RTP timestamps are that clock since `epoch`, at 48 kHz and 90 kHz, so the
/// audio and video sender reports of the mix share one timeline.
public final class RoomMixer {
    public private(set) var settings: MixerSettings
    public let epoch: Duration

    private final class Member {
        let participant: MixerParticipant
        /// Unique in this room: with the input's decode count, names a picture (`Compositor`).
        let serial: Int
        var audio: AudioInput?
        var video: VideoInput?
        var audioMuted = false
        var videoMuted = false
        var lipSync = LipSync()
        var reports: [UInt32: LipSync.SenderReportPoint] = [:]

        init(_ participant: MixerParticipant, serial: Int) {
            self.participant = participant
            self.serial = serial
        }

        /// The version of the picture its tile shows now.
        var pictureVersion: Int { serial << 32 | (video?.framesDecoded ?? 0) }
    }

    /// Join order: the grid's tile order.
    private var members: [Member] = [] {
        didSet {
            publishers = members.filter(\.participant.isPublisher)
            publisherIDs = publishers.map(\.participant.id)
            videoReceivers = members.filter(\.participant.receivesVideo).map(\.participant.id)
            audioReceivers = members.filter(\.participant.receivesAudio).map(\.participant.id)
            alignmentWaits.reserveCapacity(publishers.count)
        }
    }
    /// Derived from `members` on a join or leave, so a tick builds no list.
    private var publishers: [Member] = []
    private var publisherIDs: [String] = []
    private var videoReceivers: [String] = []
    private var audioReceivers: [String] = []
    private let audioMixer: AudioMixer
    private var selection: MixSelection
    private var detector: SpeakerDetector
    private var compositor: Compositor
    /// The VP8 encode: inline in `mixVideo`, on a thread of its own in `LiveRoom`.
    public let encodeStage: VideoEncodeStage
    /// The VP8 speed level for the next frames (the setting, raised when ticks run long).
    public private(set) var encoderSpeed: Int
    /// A keyframe was asked for: the next composite is encoded as one.
    private var keyframePending = false
    private var keyframes = KeyframePolicy()
    private var hold = SpeakerHold()
    private var layoutCells = LayoutCells()
    /// Reused every video tick (see `layOutTiles`).
    private var tiles: [Compositor.Tile] = []
    private var videoFrameIndex: Int64 = 0
    private var joins = 0
    /// Reused every tick for `inputArrivals` (no allocation once the caller let go of the last).
    private var audioArrivals: [Duration] = []
    private var videoArrivals: [Duration] = []
    /// This audio tick's inputs, emptied and refilled every tick (keeping their storage).
    private var audioLevels: [String: UInt8] = [:]
    private var audioInputs: [String: AudioMixer.Input] = [:]
    /// When the video ticks' alignment was last considered (`videoTickShift`), and the
    /// inputs' waits it is given (reused).
    private var alignmentConsidered: Duration?
    private var alignmentWaits: [Duration] = []
    /// How often the alignment of the video ticks to the inputs is considered.
    public static let alignmentPeriod: Duration = .seconds(2)
    private var departed = MixerCounters()
    private var counts = MixerCounters()

    public init(settings: MixerSettings, epoch: Duration) throws {
        self.settings = settings
        self.epoch = epoch
        audioMixer = try AudioMixer(bitrate: settings.audioBitrate)
        selection = MixSelection(maximum: settings.maxSpeakers)
        var detection = SpeakerDetector.Configuration()
        detection.maxSpeakers = settings.maxSpeakers
        detector = SpeakerDetector(configuration: detection)
        compositor = Compositor(width: settings.width, height: settings.height)
        encodeStage = try VideoEncodeStage(settings: settings, epoch: epoch)
        encoderSpeed = settings.encoderSpeed
    }

    // MARK: Membership

    public var participantIDs: [String] { members.map(\.participant.id) }

    /// While true the room makes its mix even with no receiver: the composite every frame
    /// and the shared full mix every audio tick, for the recorder (`recorderID` among the
    /// receivers of the shared audio packet).
    public var recording = false {
        didSet { if recording && !oldValue { requestKeyframeForRecorder = true } }
    }
    private var requestKeyframeForRecorder = false
    /// The receiver id the shared mix is addressed to for the recorder.
    public static let recorderID = "\u{0}recorder"
    public var isEmpty: Bool { members.isEmpty }

    /// Adds a participant at the end of the join order. A receiver's keyframe is asked for
    /// once its session connects (`keyframeRequested`): one forced now would reach nobody
    /// and hold the next one back for the 500 ms throttle.
    public func add(_ participant: MixerParticipant, now: Duration) {
        guard member(participant.id) == nil else { return }
        joins += 1
        members.append(Member(participant, serial: joins))
    }

    /// Removes a participant at once: its tile and audio leave the next tick.
    public func remove(_ id: String) {
        guard let index = members.firstIndex(where: { $0.participant.id == id }) else { return }
        let member = members.remove(at: index)
        Self.addInputCounters(of: member, to: &departed)
        audioMixer.remove(id)
        selection.remove(id)
        detector.remove(id)
    }

    /// A muted input leaves the mix (audio) or shows the placeholder (video).
    public func setMuted(_ id: String, audio: Bool?, video: Bool?) {
        guard let member = member(id) else { return }
        if let audio {
            member.audioMuted = audio
            if audio { selection.remove(id) }
        }
        if let video { member.videoMuted = video }
    }

    /// Applies new room settings from the next composite on; the encoder follows them
    /// (`VideoEncodeStage`: a new size or frame rate starts a new one, whose first frame
    /// is a keyframe; a new bitrate retunes the running one).
    public func apply(_ new: MixerSettings) throws {
        let old = settings
        if new.width != old.width || new.height != old.height {
            compositor = Compositor(width: new.width, height: new.height)
        }
        if new.encoderSpeed != old.encoderSpeed { encoderSpeed = new.encoderSpeed }
        if new.frameInterval != old.frameInterval { forgetReadyWaits() }
        selection.maximum = new.maxSpeakers
        settings = new
    }

    /// Changes the encoder's speed level from the next frame on, within `MixerSettings.encoderSpeeds`.
    public func setEncoderSpeed(_ speed: Int) {
        let speeds = MixerSettings.encoderSpeeds
        encoderSpeed = min(speeds.upperBound, max(speeds.lowerBound, speed))
    }

    private func member(_ id: String) -> Member? {
        members.first { $0.participant.id == id }
    }

    // MARK: Input

    /// Takes a frame a participant sent, into that input's playout buffer.
    public func receive(_ frame: InboundFrame, from id: String) {
        guard let member = member(id) else { return }
        do {
            if frame.isAudio {
                if member.audio == nil { member.audio = try AudioInput() }
                member.audio?.insert(frame)
            } else {
                if member.video == nil { member.video = VideoInput() }
                member.video?.insert(frame)
            }
        } catch {
            counts.decodeErrors += 1
        }
    }

    /// A participant's RTCP sender report: lines its audio up with its video.
    public func senderReport(from id: String, ssrc: UInt32, ntp: NTPTime, rtpTimestamp: UInt32) {
        guard let member = member(id) else { return }
        if member.reports.count >= 8, member.reports[ssrc] == nil { member.reports.removeAll() }
        member.reports[ssrc] = LipSync.SenderReportPoint(ntp: ntp, rtpTimestamp: rtpTimestamp)
    }

    /// A receiver asked for a keyframe (PLI/FIR) or joined: served within 500 ms, coalesced.
    public func keyframeRequested(now: Duration) {
        if keyframes.request(now: now) { keyframePending = true }
    }

    private func synchronize(_ member: Member) {
        guard let audio = member.audio, let video = member.video else { return }
        if let ssrc = audio.ssrc, let report = member.reports[ssrc] { member.lipSync.audio = report }
        if let ssrc = video.ssrc, let report = member.reports[ssrc] { member.lipSync.video = report }
        guard let delays = member.lipSync.syncDelays(audio: audio.playout, video: video.playout) else { return }
        audio.playout.syncDelay = delays.audio
        video.playout.syncDelay = delays.video
    }

    // MARK: Audio tick

    /// One mixed audio packet and who gets it.
    public struct AudioPacket: Sendable {
        public let receivers: [String]
        public let frame: OutboundFrame
    }

    public struct MixedAudio: Sendable {
        public let packets: [AudioPacket]
        /// Inputs that started or stopped speaking this tick.
        public let speaking: [SpeakerDetector.Change]
        /// When the input packets first heard in this mix arrived (mixer-added latency).
        public let inputArrivals: [Duration]
    }

    /// Mixes the audio tick that plays at `now` (a multiple of `MixerSettings.audioInterval`
    /// after `epoch`).
    public func mixAudio(at now: Duration) -> MixedAudio {
        counts.audioTicks += 1
        audioLevels.removeAll(keepingCapacity: true)
        audioInputs.removeAll(keepingCapacity: true)
        audioArrivals.removeAll(keepingCapacity: true)
        for member in members {
            synchronize(member)
            guard let audio = member.audio else { continue }
            let pulled = audio.pull(at: now, concealFor: settings.concealFor)
            counts.audioFramesDecoded += audio.packetsDecoded
            switch pulled {
            case .silent: continue
            case .decoded: break
            case .concealed: counts.audioFramesConcealed += 1
            }
            guard !member.audioMuted else { continue }
            if let arrival = audio.freshArrival { audioArrivals.append(arrival) }
            let id = member.participant.id
            let level = audio.level
            audioLevels[id] = level
            audioInputs[id] = AudioMixer.Input(id: id, pcm: audio.pcm, csrc: audio.ssrc, level: level)
        }
        let speaking = detector.tick(levels: audioLevels)
        let plan = AudioMixPlan(
            inputs: Set(audioInputs.keys), speakers: selection.select(levels: audioLevels),
            receivers: recording ? audioReceivers + [Self.recorderID] : audioReceivers)
        // A receiver's decoder outputs each sound the encoder's lookahead after its RTP
        // instant, so the mix is stamped that much earlier and plays level with the video.
        let stamp = now - audioMixer.lookahead
        let timestamp = Self.rtpTimestamp(stamp - epoch, rate: 48_000)
        let packets = audioMixer.mix(plan, inputs: audioInputs).map {
            AudioPacket(
                receivers: $0.receivers,
                frame: OutboundFrame(
                    kind: .audio, rtpTimestamp: timestamp, data: $0.data, contributingSources: $0.contributingSources,
                    captureTime: stamp))
        }
        return MixedAudio(packets: packets, speaking: speaking, inputArrivals: audioArrivals)
    }

    // MARK: Video tick

    public struct MixedVideo: Sendable {
        /// The encoded composite, nil when nobody receives video or encoding failed.
        public let frame: OutboundFrame?
        public let isKeyframe: Bool
        public let receivers: [String]
        /// Participants whose camera must send a keyframe (their decoder needs one).
        public let keyframeNeeded: [String]
        /// When the input frames first shown in this composite arrived (mixer-added latency).
        public var inputArrivals: [Duration] = []
    }

    /// What the room thread made of one video tick: the composite to encode, if any.
    public struct VideoComposite: Sendable {
        public let request: VideoEncodeStage.Request?
        public let receivers: [String]
        /// Participants whose camera must send a keyframe (their decoder needs one).
        public let keyframeNeeded: [String]
        /// When the input frames first shown in this composite arrived.
        public let inputArrivals: [Duration]
    }

    /// Decodes what is due, composites and encodes the frame shown at `now` (a multiple
    /// of 1/fps after `epoch`): `composeVideo`, the encode and `finishVideo` in one go.
    public func mixVideo(at now: Duration) -> MixedVideo {
        let composite = composeVideo(at: now)
        guard let request = composite.request else {
            return MixedVideo(frame: nil, isKeyframe: false, receivers: composite.receivers, keyframeNeeded: composite.keyframeNeeded)
        }
        let result = encodeStage.encode(request)
        finishVideo(result)
        var mixed = MixedVideo(
            frame: result.frame, isKeyframe: result.isKeyframe, receivers: composite.receivers,
            keyframeNeeded: composite.keyframeNeeded)
        if result.frame != nil { mixed.inputArrivals = composite.inputArrivals }
        return mixed
    }

    /// The room thread's part of a video tick: decodes what is due and draws the composite
    /// into the canvas the returned request points to. That canvas must not be drawn again
    /// before the request was encoded (`encodeStage`) and `finishVideo` has its result.
    public func composeVideo(at now: Duration) -> VideoComposite {
        counts.videoTicks += 1
        // A frame is shown at the tick nearest its playout time, so video is never more
        // than half a frame interval off its audio.
        let horizon = now + settings.frameInterval / 2
        var keyframeNeeded: [String] = []
        for member in members {
            if member.video?.update(until: horizon, now: now, shown: !member.videoMuted) == true {
                keyframeNeeded.append(member.participant.id)
            }
        }
        let receivers = videoReceivers
        guard !receivers.isEmpty || recording else {
            return VideoComposite(request: nil, receivers: [], keyframeNeeded: keyframeNeeded, inputArrivals: [])
        }
        if requestKeyframeForRecorder {
            // A recording starts on a keyframe.
            requestKeyframeForRecorder = false
            keyframeRequested(now: now)
        }
        do {
            layOutTiles(now: now)
            try compositor.compose(tiles)
        } catch {
            counts.encodeErrors += 1
            return VideoComposite(request: nil, receivers: receivers, keyframeNeeded: keyframeNeeded, inputArrivals: [])
        }
        if keyframes.shouldForce(now: now) { keyframePending = true }
        let request = VideoEncodeStage.Request(
            canvas: compositor.canvas, pts: videoFrameIndex, forceKeyframe: keyframePending, settings: settings,
            speed: encoderSpeed, time: now)
        keyframePending = false
        videoFrameIndex += 1
        videoArrivals.removeAll(keepingCapacity: true)
        for member in members where !member.videoMuted {
            if let arrival = member.video?.freshArrival { videoArrivals.append(arrival) }
        }
        return VideoComposite(request: request, receivers: receivers, keyframeNeeded: keyframeNeeded, inputArrivals: videoArrivals)
    }

    /// Where to move the video ticks so the shown inputs' frames wait less for them
    /// (`VideoTickAlignment`), considered every `alignmentPeriod` after a video tick at
    /// `now`, from the inputs with at least half a record of waits; nil to leave them. After
    /// a move the waits start over, as they were measured against the old ticks.
    public func videoTickShift(now: Duration) -> VideoTickAlignment.Shift? {
        guard let considered = alignmentConsidered else {
            alignmentConsidered = now
            return nil
        }
        guard now - considered >= Self.alignmentPeriod else { return nil }
        alignmentConsidered = now
        alignmentWaits.removeAll(keepingCapacity: true)
        for member in publishers where !member.videoMuted {
            guard let video = member.video, video.readyWaits.count >= ReadyWaits.capacity / 2,
                let wait = video.readyWaits.latestReady(interval: settings.frameInterval)
            else { continue }
            alignmentWaits.append(wait)
        }
        guard let shift = VideoTickAlignment.shift(waits: alignmentWaits, interval: settings.frameInterval) else {
            return nil
        }
        forgetReadyWaits()
        counts.videoTickMoves += 1
        return shift
    }

    private func forgetReadyWaits() {
        for member in members { member.video?.readyWaits.removeAll() }
    }

    /// Takes an encode's result back on the room thread (counters, keyframe throttle).
    public func finishVideo(_ result: VideoEncodeStage.Result) {
        if result.failed {
            counts.encodeErrors += 1
            return
        }
        counts.videoFramesEncoded += 1
        if result.isKeyframe {
            counts.keyframesEncoded += 1
            keyframes.keyframeEncoded(now: result.time)
        }
    }

    /// Fills `tiles` in layout order: every publisher, in join order (speaker layout: the
    /// held loudest speaker first). Only reused buffers, so a steady tick allocates nothing.
    private func layOutTiles(now: Duration) {
        tiles.removeAll(keepingCapacity: true)
        var large: Member?
        if settings.layout == .speaker {
            _ = hold.update(loudest: detector.loudest, present: publisherIDs, now: now)
            large = publishers.first { $0.participant.id == hold.current }
        }
        let cells = layoutCells.cells(settings.layout, count: publishers.count, width: settings.width, height: settings.height)
        if let large, let cell = cells.first { tiles.append(tile(large, in: cell, now: now)) }
        for member in publishers where member !== large {
            guard tiles.count < cells.count else { break }
            tiles.append(tile(member, in: cells[tiles.count], now: now))
        }
    }

    private func tile(_ member: Member, in cell: FrameRect, now: Duration) -> Compositor.Tile {
        let picture = member.videoMuted ? nil : member.video?.currentPicture(now: now, staleAfter: settings.placeholderAfter)
        return Compositor.Tile(cell: cell, picture: picture, version: member.pictureVersion)
    }

    // MARK: Counters

    /// The longest playout delay (jitter delay plus lip-sync wait) among the inputs.
    public struct PlayoutDelay: Sendable, Equatable {
        public var audio: Duration = .zero
        public var video: Duration = .zero
    }

    public var playoutDelay: PlayoutDelay {
        var longest = PlayoutDelay()
        for member in members {
            if let audio = member.audio { longest.audio = max(longest.audio, audio.playout.delay + audio.playout.syncDelay) }
            if let video = member.video { longest.video = max(longest.video, video.playout.delay + video.playout.syncDelay) }
        }
        return longest
    }

    public var counters: MixerCounters {
        var total = counts
        total.sharedAudioEncodes = audioMixer.sharedEncodes
        total.personalAudioEncodes = audioMixer.personalEncodes
        total.keyframesForced = keyframes.forcedKeyframes
        total.encodeErrors += audioMixer.encodeErrors
        total.lateFrames = departed.lateFrames
        total.videoFramesDecoded = departed.videoFramesDecoded
        total.skippedVideoFrames = departed.skippedVideoFrames
        total.hiddenVideoFrames = departed.hiddenVideoFrames
        total.decodeErrors += departed.decodeErrors
        total.audioFramesDropped = departed.audioFramesDropped
        for member in members { Self.addInputCounters(of: member, to: &total) }
        return total
    }

    /// What a member's inputs counted themselves (kept when it leaves).
    private static func addInputCounters(of member: Member, to counters: inout MixerCounters) {
        counters.lateFrames += (member.audio?.playout.lateFrames ?? 0) + (member.video?.playout.lateFrames ?? 0)
        counters.videoFramesDecoded += member.video?.framesDecoded ?? 0
        counters.skippedVideoFrames += member.video?.skippedFrames ?? 0
        counters.hiddenVideoFrames += member.video?.hiddenFrames ?? 0
        counters.decodeErrors += (member.video?.decodeErrors ?? 0) + (member.audio?.decodeErrors ?? 0)
        counters.audioFramesDropped += member.audio?.droppedFrames ?? 0
    }

    /// `elapsed` on a `rate` Hz clock, wrapped to 32 bits (RFC 3550 timestamps).
    static func rtpTimestamp(_ elapsed: Duration, rate: Int64) -> UInt32 {
        let (seconds, attoseconds) = elapsed.components
        let ticks = seconds &* rate &+ Int64((Double(attoseconds) * Double(rate) / 1e18).rounded())
        return UInt32(truncatingIfNeeded: ticks)
    }
}
