import Testing
import TesseraMixer

@Suite struct SpeakerDetectorTests {
    /// Ticks of the mixer's audio clock in `milliseconds`.
    private func ticks(_ milliseconds: Int) -> Int {
        Int(Duration.milliseconds(milliseconds) / MixerSettings.audioInterval)
    }

    @Test func speechNeedsAttackAndSurvivesShortPauses() {
        var detector = SpeakerDetector()
        for _ in 0..<ticks(40) { #expect(detector.tick(levels: ["a": 20]).isEmpty, "a 40 ms click is not speech") }
        var changes: [SpeakerDetector.Change] = []
        for _ in 0..<ticks(140) { changes += detector.tick(levels: ["a": 20]) }
        #expect(changes == [.init(id: "a", speaking: true)])
        // A 200 ms pause between words keeps the speaker.
        for _ in 0..<ticks(200) { #expect(detector.tick(levels: ["a": 127]).isEmpty) }
        #expect(detector.isSpeaking("a"))
        // A long silence ends it, once.
        changes = []
        for _ in 0..<ticks(800) { changes += detector.tick(levels: [:]) }
        #expect(changes == [.init(id: "a", speaking: false)])
    }

    @Test func theTimingsAreTheSameWhateverTheTick() {
        func onsetAndRelease(tick: Int) -> (onset: Int, release: Int) {
            var configuration = SpeakerDetector.Configuration()
            configuration.tickInterval = .milliseconds(tick)
            var detector = SpeakerDetector(configuration: configuration)
            var elapsed = 0
            while detector.tick(levels: ["a": 20]).isEmpty { elapsed += tick }
            let onset = elapsed
            elapsed = 0
            while detector.tick(levels: [:]).isEmpty { elapsed += tick }
            return (onset, elapsed)
        }
        let ten = onsetAndRelease(tick: 10), twenty = onsetAndRelease(tick: 20)
        #expect(abs(ten.onset - twenty.onset) <= 20, "onset \(ten) \(twenty)")
        #expect(abs(ten.release - twenty.release) <= 20, "release \(ten) \(twenty)")
        #expect((100...200).contains(ten.onset) && (500...700).contains(ten.release), "\(ten)")
    }

    @Test func activeSpeakersAreTheKLoudest() {
        var detector = SpeakerDetector()
        let levels: [String: UInt8] = ["a": 40, "b": 10, "c": 30, "d": 20, "e": 127]
        for _ in 0..<20 { _ = detector.tick(levels: levels) }
        #expect(detector.activeSpeakers == ["b", "d", "c"])
        #expect(detector.loudest == "b")
        #expect(!detector.isSpeaking("e"))
        detector.remove("b")
        #expect(detector.activeSpeakers == ["d", "c", "a"])
    }

    @Test func theLoudestIsTheFirstActiveSpeaker() {
        var detector = SpeakerDetector()
        #expect(detector.loudest == nil)
        let rounds: [[String: UInt8]] = [
            ["a": 20, "b": 10, "c": 30, "d": 127],
            ["a": 5, "b": 40, "c": 30],
            ["a": 127, "b": 127, "c": 10, "d": 10],
            [:],
        ]
        for levels in rounds {
            for _ in 0..<10 {
                _ = detector.tick(levels: levels)
                #expect(detector.loudest == detector.activeSpeakers.first)
            }
        }
        #expect(detector.activeSpeakers.count > 1, "the rounds had several speakers at once")
    }
}

@Suite struct AudioMixPlanTests {
    @Test func silentParticipantsShareOneEncodeAndSpeakersGetTheirOwn() {
        let plan = AudioMixPlan(
            inputs: ["a", "b", "c", "d", "e"], speakers: ["b", "d"], receivers: ["a", "b", "c", "d", "e", "viewer1", "viewer2"])
        #expect(plan.contributors == ["b", "d"])
        #expect(plan.personal == ["b", "d"])
        #expect(plan.shared == ["a", "c", "e", "viewer1", "viewer2"])
        #expect(plan.encodes == 3)
    }

    @Test func nobodyHearsThemself() {
        let receivers = ["a", "b", "c", "v"]
        let plan = AudioMixPlan(inputs: ["a", "b", "c"], speakers: ["a", "b", "c"], receivers: receivers)
        // Every speaker is personal (full minus own); shared listeners contribute nothing.
        for receiver in plan.shared { #expect(!plan.contributors.contains(receiver)) }
        #expect(Set(plan.personal) == Set(plan.contributors))
        #expect(plan.shared == ["v"])
    }

    @Test func aSpeakerWithoutAudioThisTickDoesNotContribute() {
        let plan = AudioMixPlan(inputs: ["a"], speakers: ["a", "b"], receivers: ["a", "b"])
        #expect(plan.contributors == ["a"])
        #expect(plan.personal == ["a"])
        #expect(plan.shared == ["b"])
    }

    @Test func viewersOnlyMeansOneEncode() {
        let plan = AudioMixPlan(inputs: [], speakers: [], receivers: ["v1", "v2"])
        #expect(plan.encodes == 1)
        #expect(AudioMixPlan(inputs: [], speakers: [], receivers: []).encodes == 0)
    }
}
