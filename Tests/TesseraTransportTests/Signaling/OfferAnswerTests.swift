import Foundation
import Testing
import TesseraTransport
import TesseraWire

@Suite struct OfferAnswerTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func fixture(_ name: String) throws -> String {
        // LF only, so the edits below can work line by line ("\r\n" is one Character in Swift).
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
            .replacingOccurrences(of: "\r\n", with: "\n")
    }

    let negotiator = OfferAnswer(
        candidateAddress: "127.0.0.1", candidatePort: 50000,
        fingerprint: SDPFingerprint(hashFunction: "sha-256", bytes: Array(repeating: 0xAB, count: 32)), cname: "tessera")

    @Test func aiortcOfferIsAnsweredWithIceLitePassiveBundleAndOneCandidate() throws {
        let offer = try Self.fixture("aiortc-1.16-sendrecv-offer.sdp")
        let negotiation = try negotiator.answer(offer: offer, role: .publisher)
        #expect(negotiation.remoteICE == ICECredentials(ufrag: "eUS9", password: "sqaL2HyUQmCvlQ1EKNbTpW"))
        #expect(negotiation.remoteFingerprint.hashFunction == "sha-256")
        #expect(negotiation.media.map(\.kind) == [.audio, .video])
        #expect(negotiation.media.map(\.codec.name) == ["opus", "VP8"])
        #expect(negotiation.media[1].rtxPayloadType == 98)
        #expect(negotiation.media.allSatisfy { $0.receives && $0.sends })
        #expect(negotiation.media[1].usesFeedback("nack", "pli"))

        // The answer text parses back and says what the contract asks.
        let answer = try SessionDescription(parsing: negotiation.answerText)
        #expect(answer.isICELite)
        #expect(answer.bundleGroup?.mids == ["0", "1"])
        for section in answer.media {
            #expect(section.setup == .passive)
            #expect(section.isRTCPMux)
            #expect(section.iceUfrag == negotiation.localICE.ufrag)
            #expect(section.icePwd == negotiation.localICE.password)
            #expect(section.candidates.count == 1)
            #expect(section.candidates.first?.port == 50000)
            #expect(section.candidates.first?.address == "127.0.0.1")
            #expect(section.direction == .sendrecv)
            #expect(section.fingerprint?.bytes == Array(repeating: 0xAB, count: 32))
            #expect(section.ssrcs.count >= 1)
        }
        #expect(answer.media[0].codecs.map(\.payloadType) == [96])
        #expect(answer.media[1].codecs.map(\.payloadType) == [97, 98])
    }

    @Test func whepOfferGetsASendOnlyAnswer() throws {
        let offer = try Self.fixture("aiortc-1.16-sendrecv-offer.sdp").replacingOccurrences(of: "a=sendrecv", with: "a=recvonly")
        let negotiation = try negotiator.answer(offer: offer, role: .viewer)
        #expect(negotiation.media.allSatisfy { !$0.receives && $0.sends })
        #expect(try SessionDescription(parsing: negotiation.answerText).media.map(\.direction) == [.sendonly, .sendonly])
        // A viewer offer to WHIP is refused.
        #expect(throws: NegotiationError.self) { try negotiator.answer(offer: offer, role: .publisher) }
    }

    @Test func sendOnlyPublisherGetsRecvOnly() throws {
        let offer = try Self.fixture("aiortc-1.16-sendrecv-offer.sdp").replacingOccurrences(of: "a=sendrecv", with: "a=sendonly")
        let negotiation = try negotiator.answer(offer: offer, role: .publisher)
        #expect(negotiation.media.allSatisfy { $0.receives && !$0.sends })
    }

    @Test func h264OnlyOfferChoosesPacketizationMode1() throws {
        var offer = try Self.fixture("aiortc-1.16-sendrecv-offer.sdp")
        offer = offer.replacingOccurrences(of: "a=rtpmap:97 VP8/90000", with: "a=rtpmap:97 XYZ/90000")
        let negotiation = try negotiator.answer(offer: offer, role: .publisher)
        #expect(negotiation.media[1].codec.name == "H264")
        #expect(negotiation.media[1].codec.payloadType == 99)
        #expect(negotiation.media[1].rtxPayloadType == 100)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let description: String
        let edit: @Sendable (String) -> String
        let kind: NegotiationError.Kind
        var testDescription: String { description }
    }

    static let refusals: [Refusal] = [
        Refusal(description: "not SDP", edit: { _ in "hello" }, kind: .malformed),
        Refusal(description: "bad line", edit: { $0.replacingOccurrences(of: "m=audio 35301", with: "m=audio port") }, kind: .malformed),
        Refusal(description: "no rtcp-mux", edit: { $0.replacingOccurrences(of: "a=rtcp-mux\n", with: "") }, kind: .unacceptable),
        Refusal(description: "no fingerprint", edit: { $0.split(separator: "\n").filter { !$0.hasPrefix("a=fingerprint") }.joined(separator: "\n") + "\n" }, kind: .unacceptable),
        Refusal(description: "no ice-pwd", edit: { $0.split(separator: "\n").filter { !$0.hasPrefix("a=ice-pwd") }.joined(separator: "\n") + "\n" }, kind: .unacceptable),
        Refusal(description: "setup passive", edit: { $0.replacingOccurrences(of: "a=setup:actpass", with: "a=setup:passive") }, kind: .unacceptable),
        Refusal(description: "no opus", edit: { $0.replacingOccurrences(of: "opus/48000/2", with: "speex/48000") }, kind: .unacceptable),
        Refusal(description: "no bundle", edit: { $0.replacingOccurrences(of: "a=group:BUNDLE 0 1", with: "a=group:BUNDLE 0") }, kind: .unacceptable),
        Refusal(description: "plain RTP", edit: { $0.replacingOccurrences(of: "UDP/TLS/RTP/SAVPF", with: "RTP/AVP") }, kind: .unacceptable),
        Refusal(description: "no media", edit: { $0.components(separatedBy: "m=audio")[0] }, kind: .unacceptable),
    ]

    @Test(arguments: refusals)
    func badOffersAreRefusedWithAReason(_ refusal: Refusal) throws {
        let offer = refusal.edit(try Self.fixture("aiortc-1.16-sendrecv-offer.sdp"))
        let error = #expect(throws: NegotiationError.self) { try negotiator.answer(offer: offer, role: .publisher) }
        #expect(error?.kind == refusal.kind)
        #expect(error?.message.isEmpty == false)
    }
}
