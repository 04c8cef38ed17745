import Testing
@testable import TesseraWire

@Suite struct SessionDescriptionTests {
    @Test func chromeOffer() throws {
        let text = SDPFixtures.crlf(SDPFixtures.chromeOffer)
        let offer = try SessionDescription(parsing: text)
        #expect(offer.origin.sessionID == 4_611_731_400_430_051_336)
        #expect(offer.origin.sessionVersion == 2)
        #expect(offer.bundleGroup?.mids == ["0", "1"])
        #expect(!offer.isICELite)
        #expect(offer.media.count == 2)

        let audio = offer.media[0]
        #expect(audio.kind == .audio)
        #expect(audio.proto == "UDP/TLS/RTP/SAVPF")
        #expect(audio.mid == "0")
        #expect(audio.direction == .sendrecv)
        #expect(audio.isRTCPMux && audio.isRTCPReducedSize)
        #expect(audio.payloadTypes == [111, 63, 9, 0, 8, 13, 110, 126])
        let opus = try #require(audio.codecs.first)
        #expect(opus == RTPCodec(payloadType: 111, name: "opus", clockRate: 48000, channels: 2,
                                 parameters: [SDPFormatParameter("minptime", "10"), SDPFormatParameter("useinbandfec", "1")],
                                 feedback: [SDPRTCPFeedback(payloadType: 111, type: "transport-cc")]))
        #expect(opus.parameter("useinbandfec") == "1")
        #expect(audio.codecs.map(\.name) == ["opus", "red", "G722", "PCMU", "PCMA", "CN", "telephone-event", "telephone-event"])
        #expect(audio.extmaps.map(\.id) == [1, 2, 3, 4])
        #expect(audio.extmaps[3].uri == "urn:ietf:params:rtp-hdrext:sdes:mid")
        #expect(audio.ssrcs == [1_001_895_361])
        #expect(audio.msid == SDPMediaStreamID(streamID: "3e7fb5b7-1c7d-4b6a-9a58-8a3c1c2a7e11",
                                                trackID: "9c4b4b52-4a8f-4f41-a4a6-2f6c0b2b0c1e"))
        #expect(audio.iceUfrag == "EsAw")
        #expect(audio.icePwd == "bP+XJMM09aR8AiX1jdukzR6Y")
        #expect(audio.iceOptions == ["trickle"])
        #expect(audio.setup == .actpass)
        #expect(audio.fingerprint?.hashFunction == "sha-256")
        #expect(audio.fingerprint?.bytes.count == 32)
        #expect(audio.fingerprint?.bytes.first == 0xD2)
        #expect(audio.candidates.count == 3)
        #expect(audio.candidates[1].type == .serverReflexive)
        #expect(audio.candidates[1].relatedAddress == "192.168.1.23")
        #expect(audio.candidates[2].tcpType == "active")
        #expect(!audio.endOfCandidates)

        let video = offer.media[1]
        #expect(video.kind == .video)
        let codecs = video.codecs
        #expect(codecs.map(\.payloadType) == [96, 97, 102, 103, 104, 105])
        #expect(codecs[0].hasName("vp8") && codecs[0].clockRate == 90000 && codecs[0].channels == nil)
        #expect(codecs[0].feedback.map { [$0.type, $0.parameter ?? ""] } ==
            [["goog-remb", ""], ["transport-cc", ""], ["ccm", "fir"], ["nack", ""], ["nack", "pli"]])
        #expect(codecs[1].hasName("rtx") && codecs[1].associatedPayloadType == 96)
        #expect(codecs[2].hasName("H264"))
        #expect(codecs[2].parameter("packetization-mode") == "1")
        #expect(codecs[2].parameter("profile-level-id") == "42001f")
        #expect(codecs[4].parameter("PROFILE-LEVEL-ID") == "42e01f")
        #expect(codecs[5].associatedPayloadType == 104)
        #expect(video.extmaps.count == 11)
        #expect(video.ssrcGroups == [SDPSSRCGroup(semantics: "FID", ssrcs: [2_231_627_014, 632_943_048])])
        #expect(video.ssrcs == [2_231_627_014, 632_943_048])
        #expect(video.ssrcAttributes.filter { $0.name == "cname" }.map(\.value) == ["4TOk42mSjXCkVIa6", "4TOk42mSjXCkVIa6"])
        #expect(offer.media(withMID: "1") == video)

        // Canonical input: serializing gives back the same bytes.
        #expect(offer.serialized() == text)
    }

    @Test func firefoxOffer() throws {
        let text = SDPFixtures.crlf(SDPFixtures.firefoxOffer)
        let offer = try SessionDescription(parsing: text)
        #expect(offer.origin.username == "mozilla...THIS_IS_SDPARTA-128.0")
        #expect(offer.bundleGroup?.mids == ["0", "1"])
        let audio = offer.media[0]
        let video = offer.media[1]
        // Fingerprint and ice-options only at session level.
        #expect(audio.fingerprint == nil)
        #expect(offer.fingerprint(for: audio)?.bytes.first == 0x50)
        #expect(offer.fingerprint(for: video) == offer.fingerprint(for: audio))
        #expect(offer.iceOptions(for: video) == ["trickle"])
        #expect(offer.iceCredentials(for: video)?.ufrag == "3f2a1b0c")
        #expect(offer.setup(for: audio) == .actpass)
        #expect(audio.port == 50432)
        #expect(audio.connection?.address == "192.168.1.42")
        #expect(audio.endOfCandidates)
        #expect(audio.candidates.map(\.transport) == ["UDP", "TCP", "UDP"])
        #expect(audio.candidates[2].type == .relayed)
        #expect(audio.extmaps[1] == SDPExtmap(id: 2, direction: .recvonly, uri: "urn:ietf:params:rtp-hdrext:csrc-audio-level"))
        let opus = try #require(audio.codecs.first)
        #expect(opus.parameter("stereo") == "1")
        #expect(opus.parameter("maxplaybackrate") == "48000")
        #expect(audio.codecs.last?.parameters == [SDPFormatParameter("0-15")])
        #expect(audio.codecs[1].channels == 1)
        let codecs = video.codecs
        #expect(codecs.map(\.name) == ["VP8", "rtx", "VP9", "rtx", "H264", "rtx", "H264", "rtx"])
        #expect(codecs[4].parameter("packetization-mode") == "1")
        #expect(codecs[6].parameter("packetization-mode") == nil)
        #expect(codecs[0].feedback.count == 5)
        #expect(codecs[1].feedback.isEmpty)
        #expect(video.ssrcGroups.first?.ssrcs == [3_546_738_458, 1_474_862_180])
        #expect(offer.serialized() == text)
    }

    @Test func aiortcOfferWithLFLineEnds() throws {
        let lf = SDPFixtures.aiortcOffer + "\n"
        let offer = try SessionDescription(parsing: lf)
        let crlf = try SessionDescription(parsing: SDPFixtures.crlf(SDPFixtures.aiortcOffer))
        #expect(offer == crlf)
        #expect(offer.serialized() == SDPFixtures.crlf(SDPFixtures.aiortcOffer))
        let audio = offer.media[0]
        #expect(audio.candidates.first?.foundation == "d0b8f3a0e0b7f0bf9b8a2e6ebbd7c5a6")
        #expect(audio.candidates.first?.priority == 2_130_706_431)
        #expect(audio.endOfCandidates)
        #expect(offer.iceCredentials(for: audio)! == ("Kq1m", "Zr3g8YpW2fLx0cVbN7sQaT"))
        #expect(offer.media[1].codecs.filter { $0.hasName("H264") }.count == 2)
        #expect(audio.attributes.contains(.other(name: "rtcp", value: "9 IN IP4 0.0.0.0")))
    }

    @Test(arguments: [SDPFixtures.chromeOffer, SDPFixtures.firefoxOffer, SDPFixtures.aiortcOffer, SDPFixtures.minimal])
    func roundTrip(fixture: String) throws {
        let parsed = try SessionDescription(parsing: fixture)
        let again = try SessionDescription(parsing: parsed.serialized())
        #expect(again == parsed)
        #expect(try SessionDescription(parsing: Array(parsed.serialized().utf8)) == parsed)
    }

    @Test func optionalFieldsRoundTrip() throws {
        let text = """
            v=0
            o=alice 2890844526 2890844527 IN IP4 198.51.100.1
            s=Lecture
            i=A seminar
            u=http://example.com/seminar
            e=alice@example.com (Alice)
            p=+1 617 555-6011
            c=IN IP4 233.252.0.1/127
            b=AS:2000
            t=2873397496 2873404696
            r=604800 3600 0 90000
            z=2882844526 -1h
            k=prompt
            a=recvonly
            m=audio 49170/2 RTP/AVP 0
            i=Audio
            c=IN IP4 233.252.0.1/127
            b=TIAS:64000
            k=prompt
            a=ptime:20
            m=application 9 UDP/DTLS/SCTP webrtc-datachannel
            a=sctp-port:5000
            """
        let parsed = try SessionDescription(parsing: text)
        #expect(parsed.information == "A seminar")
        #expect(parsed.emails == ["alice@example.com (Alice)"])
        #expect(parsed.timings == [SDPTiming(start: 2_873_397_496, stop: 2_873_404_696, repeats: ["604800 3600 0 90000"])])
        #expect(parsed.media[0].portCount == 2)
        #expect(parsed.media[0].bandwidths == [SDPBandwidth(type: "TIAS", value: 64000)])
        #expect(parsed.media[0].codecs == [RTPCodec(payloadType: 0, name: "PCMU", clockRate: 8000, channels: 1)])
        #expect(parsed.media[1].payloadTypes.isEmpty)
        #expect(parsed.media[1].formats == ["webrtc-datachannel"])
        #expect(parsed.serialized() == SDPFixtures.crlf(text))
    }

    @Test func buildsAnAnswer() throws {
        var audio = MediaDescription(kind: .audio, attributes: [
            .mid("0"), .iceUfrag("srvR"), .icePwd("0123456789abcdefghijklmn"),
            .fingerprint(SDPFingerprint(hashFunction: "SHA-256", bytes: Array(0..<32))), .setup(.passive),
            .direction(.recvonly), .rtcpMux,
        ])
        audio.addCodec(RTPCodec(payloadType: 111, name: "opus", clockRate: 48000, channels: 2,
                                parameters: [SDPFormatParameter("minptime", "10"), SDPFormatParameter("useinbandfec", "1")],
                                feedback: [SDPRTCPFeedback(payloadType: nil, type: "transport-cc")]))
        audio.attributes.append(.candidate(ICECandidate(foundation: "1", priority: 2_130_706_431, address: "203.0.113.1", port: 50000)))
        audio.attributes.append(.endOfCandidates)
        let answer = SessionDescription(origin: SDPOrigin(sessionID: 42, sessionVersion: 1),
                                        attributes: [.iceLite, .group(SDPGroup(semantics: "BUNDLE", mids: ["0"]))],
                                        media: [audio])
        let text = answer.serialized()
        #expect(text.contains("a=fingerprint:sha-256 00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11"))
        #expect(text.contains("a=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n"))
        #expect(text.contains("a=candidate:1 1 udp 2130706431 203.0.113.1 50000 typ host\r\n"))
        #expect(text.hasPrefix("v=0\r\no=- 42 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-lite\r\na=group:BUNDLE 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n"))
        let parsed = try SessionDescription(parsing: text)
        #expect(parsed == answer)
        #expect(parsed.isICELite)
        #expect(parsed.media[0].codecs.first?.feedback == [SDPRTCPFeedback(payloadType: 111, type: "transport-cc")])
    }

    /// A broken line in the minimal description (inserted after `line - 1`) is reported with its number.
    @Test(arguments: [
        (8, "a=rtpmap:abc opus/48000"),
        (8, "a=rtpmap:111 opus"),
        (8, "a=rtpmap:200 opus/48000"),
        (8, "a=fmtp:300 x=1"),
        (8, "a=rtcp-fb:96"),
        (8, "a=candidate:1 1 udp 2122260223 192.168.1.2 99999 typ host"),
        (8, "a=candidate:1 1 udp 1 1.2.3.4 5 host"),
        (8, "a=candidate:1 1 udp 1 1.2.3.4 5 typ host generation"),
        (8, "a=candidate:1 0 udp 1 1.2.3.4 5 typ host"),
        (8, "a=fingerprint:sha-256 ZZ:00"),
        (8, "a=fingerprint:sha-256"),
        (8, "a=setup:sideways"),
        (8, "a=extmap:0 urn:x"),
        (8, "a=extmap:1/sideways urn:x"),
        (8, "a=ssrc-group:FID abc"),
        (8, "a=ssrc:-1 cname:x"),
        (8, "a=mid"),
        (8, "a=ice-ufrag:ab"),
        (8, "a=ice-pwd:short"),
        (8, "a=msid:a b c"),
        (8, "a=:value"),
        (8, "t=0 0"),
        (8, "o=- 1 1 IN IP4 0.0.0.0"),
        (8, "x=unknown"),
        (8, "garbage line"),
        (8, "A=uppercase"),
        (5, "m=audio nine UDP/TLS/RTP/SAVPF 111"),
        (5, "m=audio 9 UDP/TLS/RTP/SAVPF"),
        (5, "c=IN IP4"),
        (5, "b=AS"),
        (5, "t=now 0"),
        (5, "s=again"),
        (3, "v=0"),
        (2, "o=- x 1 IN IP4 0.0.0.0"),
    ])
    func malformedLineIsReportedWithItsNumber(line: Int, text: String) {
        var lines = SDPFixtures.minimal.split(separator: "\n").map(String.init)
        if line == 2 { lines[1] = text } else { lines.insert(text, at: line - 1) }
        let sdp = lines.joined(separator: "\r\n") + "\r\n"
        #expect {
            try SessionDescription(parsing: sdp)
        } throws: { error in
            (error as? WireError)?.context.hasPrefix("SDP line \(line):") == true
        }
    }

    @Test func structuralErrors() {
        func lineOf(_ text: String) -> String? {
            do { _ = try SessionDescription(parsing: text); return nil } catch { return error.context }
        }
        #expect(lineOf("")?.hasPrefix("SDP line 1:") == true)
        #expect(lineOf("v=1\r\n") == "SDP line 1: v=1: only version 0")
        #expect(lineOf("o=- 1 1 IN IP4 0.0.0.0\r\nv=0\r\n")?.hasPrefix("SDP line 1: the first line must be v=0") == true)
        #expect(lineOf("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n")?.hasPrefix("SDP line 4: missing t=") == true)
        #expect(lineOf("v=0\r\ns=-\r\nt=0 0") == "SDP line 3: missing o=")
    }

    @Test func bounds() throws {
        let header = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
        let tooLong = header + "a=x:" + String(repeating: "y", count: 4093) + "\r\n"
        #expect(throws: WireError(.tooLarge, "SDP line 5: longer than 4096 bytes")) { try SessionDescription(parsing: tooLong) }
        let longest = header + "a=x:" + String(repeating: "y", count: 4092) + "\r\n"
        #expect(try SessionDescription(parsing: longest).attributes.count == 1)

        let sections = String(repeating: "m=audio 9 RTP/AVP 0\r\n", count: 65)
        #expect(throws: WireError(.tooLarge, "SDP line 69: more than 64 media sections")) {
            try SessionDescription(parsing: header + sections)
        }
        #expect(try SessionDescription(parsing: header + String(repeating: "m=audio 9 RTP/AVP 0\r\n", count: 64)).media.count == 64)

        let big = header + String(repeating: "a=x:" + String(repeating: "y", count: 1000) + "\r\n", count: 66)
        #expect(throws: WireError(.tooLarge, "SDP body larger than 64 KiB")) { try SessionDescription(parsing: big) }
        #expect(throws: WireError(.tooLarge, "SDP body larger than 64 KiB")) { try SessionDescription(parsing: Array(big.utf8)) }
        #expect(throws: WireError(.malformed, "SDP: invalid UTF-8")) { try SessionDescription(parsing: [0x76, 0x3D, 0xFF]) }
    }

    @Test func truncatedPrefixesNeverCrash() {
        let text = SDPFixtures.crlf(SDPFixtures.chromeOffer)
        let bytes = Array(text.utf8)
        let timingEnd = Array("v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0".utf8).count
        for length in 0..<bytes.count {
            let result = Result { () throws(WireError) in try SessionDescription(parsing: Array(bytes[..<length])) }
            if length < timingEnd - 2 {
                // Before "t=0 0" is complete the description lacks a required line.
                if case .success = result { Issue.record("prefix of \(length) bytes parsed") }
            }
        }
    }

    @Test func seededGarbageNeverCrashes() {
        var generator = SeededGenerator(seed: 8866)
        let fixture = Array(SDPFixtures.crlf(SDPFixtures.chromeOffer).utf8)
        let pieces = ["v=0", "o=- 1 1 IN IP4 0.0.0.0", "s=-", "t=0 0", "m=video 9 UDP/TLS/RTP/SAVPF 96", "a=rtpmap:",
                      "a=fmtp:96 ", "a=candidate:", "a=ssrc:", "a=extmap:", "a=fingerprint:sha-256 ", " ", ":", "/", ";",
                      "=", "96", "4294967296", "-1", "\r\n", "\n", "\r", "a=", "c=", "typ", "\u{0}", "é", "😀"]
        for round in 0..<3000 {
            switch round % 3 {
            case 0:
                _ = try? SessionDescription(parsing: generator.bytes(count: Int.random(in: 0...300, using: &generator)))
            case 1:
                var text = "v=0\r\n"
                for _ in 0..<Int.random(in: 0...60, using: &generator) {
                    text += pieces[Int.random(in: 0..<pieces.count, using: &generator)]
                }
                if let parsed = try? SessionDescription(parsing: text) {
                    _ = parsed.media.map(\.codecs)
                    #expect((try? SessionDescription(parsing: parsed.serialized())) != nil)
                }
            default:
                let mutated = generator.mutate(fixture, edits: Int.random(in: 1...8, using: &generator))
                if let parsed = try? SessionDescription(parsing: mutated) {
                    _ = parsed.media.map(\.codecs)
                    _ = parsed.serialized()
                }
            }
        }
    }
}
