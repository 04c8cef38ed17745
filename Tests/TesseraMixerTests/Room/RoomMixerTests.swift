import Testing
import TesseraMedia
import TesseraMixer
import TesseraTransport

/// The room mixer end to end under a manual clock: real Opus and VP8 encoders make the
/// inputs, the real mixer decodes, mixes, composites and encodes, and real decoders read
/// what each receiver gets (issue 4, first acceptance line).
@Suite struct RoomMixerTests {
    static let red: (y: UInt8, u: UInt8, v: UInt8) = (81, 90, 240)
    static let green: (y: UInt8, u: UInt8, v: UInt8) = (145, 54, 34)
    static let blue: (y: UInt8, u: UInt8, v: UInt8) = (41, 240, 110)
    static let settings = MixerSettings(width: 640, height: 360, fps: 30, bitrateKbps: 800)

    /// The cell of tile `index` as the compositor draws it (inset, letterboxed 16:9).
    static func picture(_ index: Int, of count: Int, settings: MixerSettings = settings) -> FrameRect {
        let cell = LayoutGeometry.grid(count: count, width: settings.width, height: settings.height)[index]
        let inset = FrameRect(x: cell.x + 2, y: cell.y + 2, width: cell.width - 4, height: cell.height - 4)
        return inset.fitting(sourceWidth: 16, sourceHeight: 9)
    }

    static func threeParticipants() throws -> MixerHarness {
        let harness = try MixerHarness(settings: settings)
        harness.add(try SyntheticParticipant(id: "a", colour: red, tone: 500, ssrcBase: 100))
        harness.add(try SyntheticParticipant(id: "b", colour: green, tone: 800, ssrcBase: 200))
        harness.add(try SyntheticParticipant(id: "c", colour: blue, tone: 1300, ssrcBase: 300))
        return harness
    }

    /// Opus packets may last up to 120 ms (Opus' encoder here makes up to 60): a packet that
    /// covers many ticks is played out
    /// tick by tick, not mistaken for audio piling up and dropped.
    @Test func longInputPacketsArePlayedTickByTickWithoutDropsOrConcealment() throws {
        for packet in [40, 60] {
            let harness = try Self.threeParticipants()
            harness.audioPacket = .milliseconds(packet)
            harness.addViewer("viewer")
            try harness.run(for: .seconds(2))
            let counters = harness.mixer.counters
            #expect(counters.audioFramesDropped == 0 && counters.audioFramesConcealed == 0, "\(packet) ms: \(counters)")
            #expect(counters.audioFramesDecoded >= 3 * (1_900 / packet), "\(packet) ms: \(counters)")
            for tone in [500.0, 800.0, 1300.0] {
                #expect(harness.toneLevel(tone, receiver: "viewer") > harness.toneLevel(700, receiver: "viewer") + 30, "\(packet) ms, \(tone) Hz")
            }
        }
    }

    @Test func eachParticipantHearsTheOthersAndNotItselfAndSeesEveryColourInItsTile() throws {
        let harness = try Self.threeParticipants()
        harness.addViewer("viewer")
        try harness.run(for: .seconds(2))

        let tones = ["a": 500.0, "b": 800.0, "c": 1300.0]
        for (receiver, own) in tones {
            let ownLevel = harness.toneLevel(own, receiver: receiver)
            for (other, frequency) in tones where other != receiver {
                let otherLevel = harness.toneLevel(frequency, receiver: receiver)
                #expect(otherLevel - ownLevel >= 30, "\(receiver) hears its own \(own) Hz at \(ownLevel) dB vs \(other)'s at \(otherLevel) dB")
            }
        }
        let viewerLevels = tones.values.map { harness.toneLevel($0, receiver: "viewer") }
        #expect(try #require(viewerLevels.max()) - (try #require(viewerLevels.min())) < 6, "the viewer hears everyone: \(viewerLevels)")

        let frame = try #require(harness.lastFrame)
        #expect(frame.width == 640 && frame.height == 360)
        for (index, colour) in [Self.red, Self.green, Self.blue].enumerated() {
            let measured = Signal.meanColour(frame, in: Self.picture(index, of: 3))
            #expect(Signal.isClose(measured, to: colour, within: 12), "tile \(index): \(measured) is not \(colour)")
        }
    }

    @Test func theCompositeIsEncodedOncePerFrameAndTheSharedMixOncePerTickForFiveReceivers() throws {
        let harness = try MixerHarness(settings: Self.settings)
        let speaker = try SyntheticParticipant(id: "speaker", colour: Self.red, tone: 600, ssrcBase: 10)
        harness.add(speaker)
        for index in 1...4 {
            let listener = try SyntheticParticipant(id: "listener\(index)", colour: Self.blue, tone: 900, ssrcBase: UInt32(100 * index))
            listener.amplitude = 0
            harness.add(listener)
        }
        try harness.run(for: .seconds(1))

        let counters = harness.mixer.counters
        #expect(counters.videoTicks == 30)
        #expect(counters.videoFramesEncoded == counters.videoTicks, "one encode per output frame for 5 receivers")
        #expect(counters.sharedAudioEncodes == counters.audioTicks, "the shared mix is encoded once per audio tick")
        #expect(counters.audioTicks == Int(.seconds(1) / MixerSettings.audioInterval))
        // Only the speaker has a personal mix; it starts within a tick of the tone arriving.
        #expect(counters.personalAudioEncodes >= counters.audioTicks - 5 && counters.personalAudioEncodes <= counters.audioTicks)
        for index in 1...4 {
            #expect(harness.audioPacketsSent["listener\(index)"] == counters.audioTicks)
            #expect(harness.toneLevel(600, receiver: "listener\(index)") > harness.toneLevel(600, receiver: "speaker") + 30)
        }
    }

    @Test func aStalledCameraFreezesItsOwnTileThenShowsThePlaceholderWhileTheOutputKeepsItsRate() throws {
        let harness = try MixerHarness(settings: Self.settings)
        harness.add(try SyntheticParticipant(id: "a", colour: Self.red, tone: 500, ssrcBase: 100))
        harness.add(try SyntheticParticipant(id: "b", colour: Self.green, tone: 800, ssrcBase: 200))
        // Ticks that stay on the grid, so every step is exactly one frame (a move of the ticks
        // to follow the inputs changes one: MixerLatencyTests).
        harness.alignsVideoTicks = false
        try harness.run(for: .seconds(1))
        harness.stalledVideo = ["b"]
        try harness.run(for: .milliseconds(1500))
        let frozen = try #require(harness.lastFrame)
        #expect(Signal.isClose(Signal.meanColour(frozen, in: Self.picture(1, of: 2)), to: Self.green, within: 12), "b's last picture stays")
        try harness.run(for: .seconds(1))
        let later = try #require(harness.lastFrame)
        let placeholder = Signal.meanColour(later, in: Self.picture(1, of: 2))
        #expect(!Signal.isClose(placeholder, to: Self.green, within: 30), "after 2 s b shows the placeholder, not \(placeholder)")
        #expect(Signal.isClose(Signal.meanColour(later, in: Self.picture(0, of: 2)), to: Self.red, within: 12), "a is unaffected")
        // One frame per tick throughout, each 1/30 s after the previous one.
        let steps = zip(harness.videoTimestamps.dropFirst(), harness.videoTimestamps).map { $0 &- $1 }
        #expect(harness.videoTimestamps.count == 105)
        #expect(steps.allSatisfy { $0 == 3000 })
    }

    @Test func mutingTakesAnInputOutOfTheMixAtOnce() throws {
        let harness = try Self.threeParticipants()
        try harness.run(for: .seconds(1))
        harness.mixer.setMuted("b", audio: true, video: true)
        let decodedBefore = harness.mixer.counters.videoFramesDecoded
        try harness.run(for: .milliseconds(600))
        // A hidden camera is not decoded: only a's and c's frames were (18 each in 600 ms).
        let decodedWhileMuted = harness.mixer.counters.videoFramesDecoded - decodedBefore
        #expect((34...38).contains(decodedWhileMuted), "decoded \(decodedWhileMuted) frames while b was muted")
        #expect(harness.mixer.counters.hiddenVideoFrames >= 17)
        let frame = try #require(harness.lastFrame)
        #expect(!Signal.isClose(Signal.meanColour(frame, in: Self.picture(1, of: 3)), to: Self.green, within: 30), "b's tile is the placeholder")
        #expect(Signal.isClose(Signal.meanColour(frame, in: Self.picture(0, of: 3)), to: Self.red, within: 12))
        #expect(harness.toneLevel(500, receiver: "c", seconds: 0.3) - harness.toneLevel(800, receiver: "c", seconds: 0.3) >= 30, "c no longer hears b")

        harness.mixer.setMuted("b", audio: false, video: false)
        try harness.run(for: .milliseconds(600))
        #expect(harness.keyframeRequests.contains("b"), "b's decoder needs a keyframe to show it again")
        let unmuted = try #require(harness.lastFrame)
        #expect(Signal.isClose(Signal.meanColour(unmuted, in: Self.picture(1, of: 3)), to: Self.green, within: 12))
        #expect(abs(harness.toneLevel(500, receiver: "c", seconds: 0.3) - harness.toneLevel(800, receiver: "c", seconds: 0.3)) < 6)
    }

    @Test func aParticipantWhoLeavesIsGoneFromTheNextFrameAndTheOthersNeverMissOne() throws {
        let harness = try Self.threeParticipants()
        try harness.run(for: .seconds(1))
        harness.remove("b")
        try harness.run(for: .milliseconds(100))
        let frame = try #require(harness.lastFrame)
        #expect(Signal.isClose(Signal.meanColour(frame, in: Self.picture(0, of: 2)), to: Self.red, within: 12))
        #expect(Signal.isClose(Signal.meanColour(frame, in: Self.picture(1, of: 2)), to: Self.blue, within: 12), "c moved up to b's place")
        harness.add(try SyntheticParticipant(id: "d", colour: Self.green, tone: 700, ssrcBase: 400))
        try harness.run(for: .milliseconds(500))
        let steps = zip(harness.videoTimestamps.dropFirst(), harness.videoTimestamps).map { $0 &- $1 }
        #expect(steps.allSatisfy { $0 == 3000 }, "no output frame is skipped across a leave and a join")
        #expect(harness.mixer.participantIDs == ["a", "c", "d"])
    }

    @Test func theCompositeGoesToWhoeverReceivesVideoAfterEveryJoinAndLeave() throws {
        let mixer = try RoomMixer(settings: Self.settings, epoch: .zero)
        func join(_ id: String, publishes: Bool = true, video: Bool = true) {
            mixer.add(MixerParticipant(id: id, isPublisher: publishes, receivesAudio: true, receivesVideo: video), now: .zero)
        }
        var tick = 0
        func receivers() -> [String] {
            tick += 1
            return mixer.mixVideo(at: Self.settings.frameInterval * tick).receivers
        }
        #expect(receivers().isEmpty)
        join("a")
        join("audio-only", video: false)
        join("viewer", publishes: false)
        #expect(receivers() == ["a", "viewer"])
        mixer.remove("a")
        #expect(receivers() == ["viewer"])
        join("b")
        #expect(receivers() == ["viewer", "b"])
        #expect(receivers() == ["viewer", "b"])
    }

    @Test func theSpeakerLayoutShowsTheLoudestLarge() throws {
        var settings = Self.settings
        settings.layout = .speaker
        let harness = try MixerHarness(settings: settings)
        let quiet = try SyntheticParticipant(id: "a", colour: Self.red, tone: 500, ssrcBase: 100)
        quiet.amplitude = 0
        harness.add(quiet)
        harness.add(try SyntheticParticipant(id: "b", colour: Self.green, tone: 800, ssrcBase: 200))
        try harness.run(for: .seconds(1))
        let frame = try #require(harness.lastFrame)
        let main = LayoutGeometry.speaker(count: 2, width: 640, height: 360)[0]
        let inset = FrameRect(x: main.x + 2, y: main.y + 2, width: main.width - 4, height: main.height - 4)
        #expect(Signal.isClose(Signal.meanColour(frame, in: inset.fitting(sourceWidth: 16, sourceHeight: 9)), to: Self.green, within: 12))
    }
}

@Suite struct RoomMixerChangesTests {
    @Test func aLayoutOrSizeChangeAppliesFromTheNextFrame() throws {
        let harness = try MixerHarness(settings: RoomMixerTests.settings)
        let quiet = try SyntheticParticipant(id: "a", colour: RoomMixerTests.red, tone: 500, ssrcBase: 100)
        quiet.amplitude = 0
        harness.add(quiet)
        harness.add(try SyntheticParticipant(id: "b", colour: RoomMixerTests.green, tone: 800, ssrcBase: 200))
        try harness.run(for: .milliseconds(500))
        var speaker = RoomMixerTests.settings
        speaker.layout = .speaker
        try harness.mixer.apply(speaker)
        try harness.run(for: .milliseconds(40))
        let main = LayoutGeometry.speaker(count: 2, width: 640, height: 360)[0]
        let large = FrameRect(x: main.x + 2, y: main.y + 2, width: main.width - 4, height: main.height - 4).fitting(sourceWidth: 16, sourceHeight: 9)
        let frame = try #require(harness.lastFrame)
        #expect(Signal.isClose(Signal.meanColour(frame, in: large), to: RoomMixerTests.green, within: 12), "the speaker is large")

        speaker.width = 320
        speaker.height = 180
        try harness.mixer.apply(speaker)
        try harness.run(for: .milliseconds(40))
        let resized = try #require(harness.lastFrame)
        #expect(resized.width == 320 && resized.height == 180, "a new size starts with a keyframe the receiver decodes")
    }

    @Test func missingAudioIsConcealedBrieflyThenTheInputFallsSilent() throws {
        let harness = try MixerHarness(settings: RoomMixerTests.settings)
        harness.add(try SyntheticParticipant(id: "a", colour: RoomMixerTests.red, tone: 500, ssrcBase: 100))
        harness.addViewer("viewer")
        try harness.run(for: .milliseconds(500))
        #expect(harness.mixer.counters.audioFramesConcealed == 0)
        harness.stalledAudio = ["a"]
        try harness.run(for: .milliseconds(600))
        let concealed = harness.mixer.counters.audioFramesConcealed
        // About 200 ms of concealment (`concealFor` after the last packet, less the ticks
        // that packet still filled, plus the tick in flight), then silence.
        let concealedTime = MixerSettings.audioInterval * concealed
        #expect((Duration.milliseconds(180)...Duration.milliseconds(220)).contains(concealedTime), "concealed \(concealed) ticks")
        #expect(harness.toneLevel(500, receiver: "viewer", seconds: 0.2) < -60, "a vanished input is silent, not looped")
    }

    @Test func aKeyframeRequestIsServedByTheNextFrameAndCoalescedFor500ms() throws {
        let harness = try MixerHarness(settings: RoomMixerTests.settings)
        harness.add(try SyntheticParticipant(id: "a", colour: RoomMixerTests.red, tone: 500, ssrcBase: 100))
        try harness.run(for: .seconds(1))
        let before = harness.mixer.counters
        harness.mixer.keyframeRequested(now: harness.now)
        harness.mixer.keyframeRequested(now: harness.now)
        try harness.run(for: .milliseconds(100))
        let after = harness.mixer.counters
        #expect(after.keyframesForced == before.keyframesForced + 1)
        #expect(after.keyframesEncoded == before.keyframesEncoded + 1)
    }
}

@Suite struct RoomMixerRecordingTests {
    @Test func whileRecordingTheMixIsMadeWithoutReceiversAndStartsOnAKeyframe() throws {
        let mixer = try RoomMixer(settings: RoomMixerTests.settings, epoch: .zero)
        let sender = try SyntheticParticipant(id: "a", colour: RoomMixerTests.red, tone: 500, ssrcBase: 100)
        mixer.add(MixerParticipant(id: "a", isPublisher: true, receivesAudio: false, receivesVideo: false), now: .zero)
        var now = Duration.zero
        func step() throws -> (RoomMixer.MixedAudio, RoomMixer.MixedVideo) {
            now += .milliseconds(20)
            mixer.receive(try sender.nextAudio(arrival: now), from: "a")
            return (mixer.mixAudio(at: now), mixer.mixVideo(at: now))
        }
        let (quietAudio, quietVideo) = try step()
        #expect(quietVideo.frame == nil && quietAudio.packets.isEmpty, "nobody receives: nothing is encoded")

        mixer.recording = true
        let (audio, video) = try step()
        #expect(video.frame != nil && video.isKeyframe, "the recording starts on a keyframe")
        #expect(video.receivers.isEmpty)
        _ = audio
        var recorded = 0
        for _ in 0..<10 {
            let (audio, _) = try step()
            recorded += audio.packets.filter { $0.receivers == [RoomMixer.recorderID] }.count
        }
        #expect(recorded == 10, "the shared full mix goes to the recorder every 20 ms")
        mixer.recording = false
        let (_, after) = try step()
        #expect(after.frame == nil)
    }
}
