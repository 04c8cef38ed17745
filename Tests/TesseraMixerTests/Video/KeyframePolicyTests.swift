import Testing
import TesseraMixer

@Suite struct KeyframePolicyTests {
    @Test func manyRequestsWithinTheIntervalMakeOneMoreKeyframe() {
        var policy = KeyframePolicy()
        #expect(request(&policy, .zero))
        // Five receivers' PLIs in the next 300 ms: no keyframe yet, one remembered.
        for step in 1...5 { #expect(!request(&policy, .milliseconds(60 * step))) }
        #expect(!shouldForce(&policy, .milliseconds(499)))
        #expect(shouldForce(&policy, .milliseconds(500)))
        #expect(!shouldForce(&policy, .milliseconds(533)))
        #expect(policy.forcedKeyframes == 2)
        #expect(policy.coalescedRequests == 4)
    }

    @Test func aJoinerAfterTheIntervalGetsAKeyframeAtOnce() {
        var policy = KeyframePolicy()
        #expect(request(&policy, .zero))
        #expect(request(&policy, .seconds(3)))
    }

    @Test func anEncoderKeyframeServesWaitingRequests() {
        var policy = KeyframePolicy()
        #expect(request(&policy, .zero))
        #expect(!request(&policy, .milliseconds(100)))
        policy.keyframeEncoded(now: .milliseconds(200))
        #expect(!shouldForce(&policy, .milliseconds(800)))
    }
}

/// The mutating calls, outside `#expect`, whose closure cannot mutate a captured value.
private func request(_ policy: inout KeyframePolicy, _ now: Duration) -> Bool { policy.request(now: now) }
private func shouldForce(_ policy: inout KeyframePolicy, _ now: Duration) -> Bool { policy.shouldForce(now: now) }
