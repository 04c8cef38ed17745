import Testing
import TesseraMixer

@Suite struct KeyframePolicyTests {
    @Test func manyRequestsWithinTheIntervalMakeOneMoreKeyframe() {
        var policy = KeyframePolicy()
        #expect(call(&policy, "request", .zero))
        // Five receivers' PLIs in the next 300 ms: no keyframe yet, one remembered.
        for step in 1...5 { #expect(!call(&policy, "request", .milliseconds(60 * step))) }
        #expect(!call(&policy, "shouldForce", .milliseconds(499)))
        #expect(call(&policy, "shouldForce", .milliseconds(500)))
        #expect(!call(&policy, "shouldForce", .milliseconds(533)))
        #expect(policy.forcedKeyframes == 2)
        #expect(policy.coalescedRequests == 4)
    }

    @Test func aJoinerAfterTheIntervalGetsAKeyframeAtOnce() {
        var policy = KeyframePolicy()
        #expect(call(&policy, "request", .zero))
        #expect(call(&policy, "request", .seconds(3)))
    }

    @Test func anEncoderKeyframeServesWaitingRequests() {
        var policy = KeyframePolicy()
        #expect(call(&policy, "request", .zero))
        #expect(!call(&policy, "request", .milliseconds(100)))
        policy.keyframeEncoded(now: .milliseconds(200))
        #expect(!call(&policy, "shouldForce", .milliseconds(800)))
    }
}

/// Calls a mutating member outside `#expect`, whose closure cannot mutate.
private func call(_ policy: inout KeyframePolicy, _ name: String, _ now: Duration) -> Bool {
    name == "request" ? policy.request(now: now) : policy.shouldForce(now: now)
}
