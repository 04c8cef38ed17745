import Testing
@testable import TesseraWire

@Suite struct SDPAttributeTests {
    @Test(arguments: [
        "mid:0", "sendrecv", "sendonly", "recvonly", "inactive", "rtpmap:111 opus/48000/2", "rtpmap:96 VP8/90000",
        "fmtp:111 minptime=10;useinbandfec=1", "fmtp:96", "rtcp-fb:* nack", "rtcp-fb:96 ccm fir",
        "extmap:3/sendonly urn:x attr1 attr2", "extmap:4096 urn:y", "ssrc:1 cname:abc", "ssrc:4294967295 foo",
        "ssrc-group:SIM 1 2 3", "msid:- track", "msid:stream", "rtcp-mux", "rtcp-rsize", "setup:holdconn",
        "fingerprint:sha-1 00:FF", "ice-ufrag:abcd", "ice-pwd:abcdefghijklmnopqrstuv", "ice-options:trickle renomination",
        "ice-lite", "candidate:1 1 udp 1 10.0.0.1 9 typ host", "end-of-candidates", "group:BUNDLE", "group:LS a b",
        "extmap-allow-mixed", "msid-semantic: WMS *", "rtcp:9 IN IP4 0.0.0.0", "x-custom:a:b:c",
    ])
    func canonicalAttributeRoundTrips(text: String) throws {
        let attribute = try SDPAttribute(parsing: text[...])
        #expect(attribute.text == text)
        if case .other = attribute {
            #expect(["extmap-allow-mixed", "msid-semantic", "rtcp", "x-custom"].contains { text.hasPrefix($0) })
        }
    }

    @Test func normalisedForms() throws {
        #expect(try SDPAttribute(parsing: "fmtp:111 a=1; b=2;".dropFirst(0)).text == "fmtp:111 a=1;b=2")
        #expect(try SDPAttribute(parsing: "fingerprint:SHA-256 ab:cd"[...]).text == "fingerprint:sha-256 AB:CD")
        let wildcard = try SDPAttribute(parsing: "rtcp-fb:* transport-cc"[...])
        #expect(wildcard == .rtcpFeedback(SDPRTCPFeedback(payloadType: nil, type: "transport-cc")))
    }

    /// Only ASCII is lowercased: "Ⱥ" lowercases to a longer UTF-8 sequence, which made a line
    /// near the 4096-byte limit too long to parse once serialized.
    @Test func fingerprintHashNameKeepsItsLength() throws {
        #expect(try SDPAttribute(parsing: "fingerprint:SHA-256\u{23A} ab"[...]).text == "fingerprint:sha-256\u{23A} AB")
        let name = String(repeating: "\u{23A}", count: 1900)
        let text = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=fingerprint:\(name) AB:CD\r\n"
        let description = try SessionDescription(parsing: text)
        #expect(description.serialized() == text)
        #expect(try SessionDescription(parsing: description.serialized()) == description)
    }

    @Test func fingerprintBound() {
        let hex65 = Array(repeating: "AB", count: 65).joined(separator: ":")
        #expect(throws: WireError(.tooLarge, "fingerprint: more than 64 bytes")) {
            try SDPAttribute(parsing: ("fingerprint:sha-512 " + hex65)[...])
        }
    }

    @Test func directionHelpers() {
        #expect(SDPDirection.sendonly.reversed == .recvonly)
        #expect(SDPDirection.sendrecv.reversed == .sendrecv)
        #expect(SDPDirection.recvonly.receives && !SDPDirection.recvonly.sends)
    }
}
