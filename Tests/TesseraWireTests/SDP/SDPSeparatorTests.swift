import Testing
@testable import TesseraWire

/// Separators are found in the UTF-8 bytes (RFC 8866 §9 is an octet grammar), not among
/// grapheme clusters. Splitting on `Character`s broke the round trip: a tab before a
/// combining mark separates, but the single space `serialized()` writes there instead joins
/// the mark into one cluster " ́" that is no longer a separator (the sdp fuzz target checks
/// this round trip).
@Suite struct SDPSeparatorTests {
    static let head = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"

    /// Parses `text`, checks serialize → parse gives the same description, returns it.
    func roundTrip(_ text: String) throws -> SessionDescription {
        let description = try SessionDescription(parsing: text)
        let again = try SessionDescription(parsing: description.serialized())
        #expect(again == description)
        #expect(again.serialized() == description.serialized())
        return description
    }

    @Test func combiningMarkAfterTabInMediaLine() throws {
        let description = try roundTrip(Self.head + "m=audio 9\t\u{301}RTP 111\r\n")
        #expect(description.media.first?.proto == "\u{301}RTP")
        #expect(description.media.first?.formats == ["111"])
    }

    @Test func combiningMarkAfterSpaceIsStillASeparator() throws {
        let description = try roundTrip(Self.head + "m=audio 9 \u{301}RTP 111\r\n")
        #expect(description.media.first?.port == 9)
        #expect(description.media.first?.proto == "\u{301}RTP")
    }

    @Test func prependCharacterBeforeTab() throws {
        // U+0600 is a Prepend character: it joins the space written after it into one cluster.
        let description = try roundTrip(Self.head + "c=IN\u{600}\tIP4 192.0.2.1\r\n")
        #expect(description.connection == SDPConnection(networkType: "IN\u{600}", addressType: "IP4", address: "192.0.2.1"))
    }

    @Test func combiningMarkAfterTrimmedFormatParameterSpace() throws {
        let description = try roundTrip(Self.head + "m=video 9 RTP/AVP 96\r\na=fmtp:96 x=1;\t\u{301}y=2\r\n")
        #expect(description.media.first?.codecs.isEmpty == true)
        guard case .fmtp(let parameters) = description.media.first?.attributes.first else {
            Issue.record("no fmtp")
            return
        }
        #expect(parameters.parameters == [SDPFormatParameter("x", "1"), SDPFormatParameter("\u{301}y", "2")])
    }

    @Test func combiningMarkAfterTabInAttributeValue() throws {
        let description = try roundTrip(Self.head + "m=video 9 RTP/AVP 96\r\na=rtcp-fb:96\t\u{301}nack\r\n")
        #expect(description.media.first?.attributes.first == .rtcpFeedback(SDPRTCPFeedback(payloadType: 96, type: "\u{301}nack")))
    }
}
