import Testing
@testable import TesseraWire

@Suite struct HeaderExtensionMapTests {
    static func chromeAudioMap() throws -> HeaderExtensionMap {
        try HeaderExtensionMap([
            (id: 1, uri: HeaderExtensionURI.ssrcAudioLevel),
            (id: 2, uri: HeaderExtensionURI.absSendTime),
            (id: 3, uri: HeaderExtensionURI.transportWideCC),
            (id: 4, uri: HeaderExtensionURI.mid),
            (id: 5, uri: HeaderExtensionURI.csrcAudioLevel),
        ])
    }

    @Test func uriStrings() {
        #expect(HeaderExtensionURI.mid == "urn:ietf:params:rtp-hdrext:sdes:mid")
        #expect(HeaderExtensionURI.absSendTime == "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time")
        #expect(HeaderExtensionURI.transportWideCC == "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01")
        #expect(HeaderExtensionURI.ssrcAudioLevel == "urn:ietf:params:rtp-hdrext:ssrc-audio-level")
        #expect(HeaderExtensionURI.csrcAudioLevel == "urn:ietf:params:rtp-hdrext:csrc-audio-level")
    }

    @Test func lookups() throws {
        var map = try Self.chromeAudioMap()
        #expect(map.id(for: HeaderExtensionURI.mid) == 4)
        #expect(map.id(for: TransportSequenceNumberExtension.self) == 3)
        #expect(map.uri(for: 2) == HeaderExtensionURI.absSendTime)
        #expect(map.uri(for: 9) == nil)
        #expect(map.entries.map(\.id) == [1, 2, 3, 4, 5])
        map.remove(id: 4)
        #expect(map.id(for: MidExtension.self) == nil)
        try map.register(id: 4, uri: "urn:example:other")
        #expect(map.uri(for: 4) == "urn:example:other")
    }

    @Test func registrationConflicts() throws {
        var map = try Self.chromeAudioMap()
        #expect(wireError { try map.register(id: 0, uri: "x") }?.kind == .malformed)
        #expect(wireError { try map.register(id: 1, uri: "x") }?.kind == .malformed)
        #expect(wireError { try map.register(id: 9, uri: HeaderExtensionURI.mid) }?.kind == .malformed)
        #expect(wireError { try map.register(id: 1, uri: HeaderExtensionURI.ssrcAudioLevel) } == nil)
    }

    @Test func typedValuesFromPacket() throws {
        // ids 1 (audio level), 3 (twcc seq) from the Opus vector.
        let packet = try RTPPacket(parsing: RTPPacketTests.opus)
        let map = try Self.chromeAudioMap()
        let level = try #require(try map.value(SSRCAudioLevelExtension.self, in: packet.header.headerExtension))
        #expect(level == SSRCAudioLevelExtension(voiceActivity: true, level: 30))
        #expect(try map.value(TransportSequenceNumberExtension.self, in: packet.header.headerExtension)?.sequenceNumber == 42)
        #expect(try map.value(MidExtension.self, in: packet.header.headerExtension) == nil)
        #expect(try map.value(MidExtension.self, in: nil) == nil)
        #expect(try HeaderExtensionMap().value(SSRCAudioLevelExtension.self, in: packet.header.headerExtension) == nil)
    }

    @Test func buildsElementsFromTypedValues() throws {
        let map = try Self.chromeAudioMap()
        let elements = [
            map.element(try MidExtension("0")),
            map.element(AbsSendTimeExtension(rawValue: 0x123456)),
            map.element(TransportSequenceNumberExtension(sequenceNumber: 7)),
            map.element(CSRCAudioLevelsExtension(levels: [3, 4])),
        ].compactMap { $0 }
        let ext = try RTPHeaderExtension(elements: elements)
        #expect(Array(ext.data) == hex("4030 22123456 310007 510304"))
        #expect(try map.value(MidExtension.self, in: ext)?.value == "0")
        #expect(try map.value(AbsSendTimeExtension.self, in: ext)?.rawValue == 0x123456)
        #expect(try map.value(CSRCAudioLevelsExtension.self, in: ext)?.levels == [3, 4])
        #expect(HeaderExtensionMap().element(TransportSequenceNumberExtension(sequenceNumber: 1)) == nil)
    }
}
