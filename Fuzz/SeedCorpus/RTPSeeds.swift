import TesseraWire

/// RTP datagrams as WebRTC endpoints send them.
enum RTPSeeds {
    static var all: [Seed] {
        [
            // Tests/TesseraWireTests: RTPPacketTests.opus and the FuzzTests corpus.
            Seed("opus-one-byte-extension.bin", hex: "906F1234 00003039 11223344 BEDE0002 109E0031 002A0000 DEADBEEF C0FFEE"),
            Seed("two-csrcs-marker.bin", hex: "82E00001 00000002 00000003 0000000A 0000000B 0102"),
            Seed("two-byte-extension-padding.bin", hex: "B0000001 00000002 00000003 10000002 01000000 C8036162 63000000 AABB 0000000004"),
            Seed("padding-3.bin", hex: "A0000001 00000002 00000003 AABBCC 000003"),
            Seed("fixed-header-only.bin", packet(RTPHeader(payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0), [])),
            Seed("opus-webrtc-extensions.bin", packet(
                RTPHeader(payloadType: 111, sequenceNumber: 0xFFFF, timestamp: 0xFFFF_FC40, ssrc: 0x1234_5678,
                          headerExtension: oneByte([
                              (1, SSRCAudioLevelExtension(voiceActivity: true, level: 30).encoded),
                              (2, AbsSendTimeExtension(microseconds: 12_345_678).encoded),
                              (3, TransportSequenceNumberExtension(sequenceNumber: 4711).encoded),
                              (4, try! MidExtension("0").encoded),
                          ])),
                [0xF8] + filler(40))), // TOC: CELT fullband 20 ms, one frame
            Seed("opus-code3-three-frames.bin", packet(
                RTPHeader(payloadType: 111, sequenceNumber: 7, timestamp: 960, ssrc: 1), [0x0B, 0x03] + filler(30))),
            Seed("opus-code2-two-frames.bin", packet(
                RTPHeader(payloadType: 111, sequenceNumber: 8, timestamp: 1920, ssrc: 1), [0x7A, 10] + filler(25))),
            Seed("vp8-two-byte-extension.bin", packet(
                RTPHeader(marker: true, payloadType: 96, sequenceNumber: 300, timestamp: 90_000, ssrc: 0xCAFE_BABE,
                          headerExtension: twoByte([
                              (4, Array("video-main".utf8)),
                              (5, []),
                              (200, filler(20, seed: 2)),
                          ])),
                [0x90, 0x80, 0x12, 0x34] + keyframeStart)),
            Seed("h264-fu-a.bin", packet(
                RTPHeader(payloadType: 102, sequenceNumber: 301, timestamp: 93_000, ssrc: 0xCAFE_BABF,
                          headerExtension: oneByte([(3, TransportSequenceNumberExtension(sequenceNumber: 4712).encoded)])),
                [0x7C, 0x85] + filler(50))),
            Seed("csrcs-audio-levels.bin", packet(
                RTPHeader(payloadType: 111, sequenceNumber: 9, timestamp: 2880, ssrc: 2, csrcs: [10, 11, 12],
                          headerExtension: oneByte([(6, CSRCAudioLevelsExtension(levels: [10, 127, 0]).encoded)])),
                [0xF8] + filler(10))),
            Seed("padding-only-probe.bin", packet(
                RTPHeader(payloadType: 96, sequenceNumber: 302, timestamp: 93_000, ssrc: 0xCAFE_BABE), [],
                paddingLength: 224)),
            Seed("legacy-profile-extension.bin", packet(
                RTPHeader(payloadType: 0, sequenceNumber: 1, timestamp: 160, ssrc: 3,
                          headerExtension: try! RTPHeaderExtension(profile: 0x1234, data: filler(8, seed: 3)[...])),
                filler(160, seed: 4))),
        ]
    }

    /// A VP8 key frame: frame tag (first partition 100 bytes), start code, 640×480.
    static let keyframeStart: [UInt8] = [0x90, 0x0C, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01] + filler(20)

    static func packet(_ header: RTPHeader, _ payload: [UInt8], paddingLength: UInt8 = 0) -> [UInt8] {
        var bytes: [UInt8] = []
        RTPPacket(header: header, payload: payload, paddingLength: paddingLength).serialize(into: &bytes)
        return bytes
    }

    static func oneByte(_ elements: [(UInt8, [UInt8])]) -> RTPHeaderExtension {
        try! RTPHeaderExtension(elements: elements.map { (id: $0.0, data: $0.1) }, form: .oneByte)
    }

    static func twoByte(_ elements: [(UInt8, [UInt8])]) -> RTPHeaderExtension {
        try! RTPHeaderExtension(elements: elements.map { (id: $0.0, data: $0.1) }, form: .twoByte)
    }
}
