import TesseraWire

/// RTCP compound packets: the reports and feedback WebRTC endpoints exchange.
enum RTCPSeeds {
    static var all: [Seed] {
        let block = ReportBlock(ssrc: 0xCAFE_BABE, fractionLost: 12, cumulativeLost: -3, extendedHighestSequenceNumber: 0x0001_FFFF,
                                jitter: 42, lastSenderReport: 0x1234_5678, delaySinceLastSenderReport: 65536)
        let sdes = SourceDescription(chunks: [
            .init(ssrc: 0xDEAD_BEEF, items: [.init(type: .cname, text: "4TOk42mSjXCkVIa6"), .init(type: .tool, text: "tessera")]),
            .init(ssrc: 0xDEAD_BEF0, cname: "x"),
        ])
        let twcc = try! TransportWideFeedback(
            senderSSRC: 1, mediaSSRC: 0xCAFE_BABE, baseSequenceNumber: 0xFFFA, referenceTime: -5, feedbackPacketCount: 9,
            packets: (0..<40).map { index in
                let delta: Int32? = switch index % 5 {
                case 0: nil
                case 1: -8000
                case 2: 70_000
                default: Int32(index) * 250
                }
                return .init(sequenceNumber: 0xFFFA &+ UInt16(index), deltaMicroseconds: delta)
            })
        return [
            // Tests/TesseraWireTests vectors.
            Seed("chrome-sr-sdes.bin", hex: """
                80C80006 DEADBEEF E89A6C12 3F7CED91 0001E240 00000064 00003A98
                81CA0006 DEADBEEF 0110 34544F6B34326D536A58436B56496136 0000
                """),
            Seed("remb-one-megabit.bin", hex: "8FCE0005 00000001 00000000 52454D42 010BD090 00ABCDEF"),
            Seed("remb-libwebrtc.bin", hex: "8FCE0007 12345678 00000000 52454D42 0307FB93 23456789 2BCDEF01 56789ABC"),
            Seed("twcc-run-and-two-bit.bin", hex: "8FCD0008 00000001 12345678 0064000C 00010207 2005C915 040800FF 01FFFC10 02030400"),
            Seed("twcc-one-bit-wrapping.bin", hex: "8FCD0006 00000001 00000002 FFFE000E FFFFFF00 AC010102 03040000"),
            Seed("app-rr-sdes-unknown.bin", hex: "80CC0002 00000001 4E414D45 81CA0003 00000007 01036162 63000000 A1CE0003 00000001 00000002 00000004"),
            // Built with the serializers.
            Seed("sr-blocks-sdes-bye.bin", compound([
                .senderReport(SenderReport(ssrc: 0xDEAD_BEEF, ntpTimestamp: 0xE89A_6C12_3F7C_ED91, rtpTimestamp: 123_456,
                                           packetCount: 100, octetCount: 15000, reportBlocks: [block, block])),
                .sourceDescription(sdes),
                .goodbye(Goodbye(ssrcs: [0xDEAD_BEEF, 0xDEAD_BEF0], reasonText: "camera off")),
            ])),
            Seed("rr-empty.bin", compound([.receiverReport(ReceiverReport(ssrc: 1))])),
            Seed("rr-block-remb.bin", compound([
                .receiverReport(ReceiverReport(ssrc: 1, reportBlocks: [block])),
                .remb(REMB(senderSSRC: 1, bitrate: 2_500_000_000, ssrcs: [0xCAFE_BABE, 0xCAFE_BABF])),
            ])),
            Seed("nack.bin", compound([
                .genericNACK(GenericNACK(senderSSRC: 1, mediaSSRC: 0xCAFE_BABE, sequenceNumbers: [65530, 65531, 65535, 2, 40, 41, 200])),
            ])),
            Seed("pli.bin", compound([.pictureLossIndication(PictureLossIndication(senderSSRC: 1, mediaSSRC: 0xCAFE_BABE))])),
            Seed("fir.bin", compound([
                .fullIntraRequest(FullIntraRequest(senderSSRC: 1, entries: [.init(ssrc: 0xCAFE_BABE, sequenceNumber: 7),
                                                                           .init(ssrc: 0xCAFE_BABF, sequenceNumber: 255)])),
            ])),
            Seed("twcc-mixed.bin", compound([.transportWideFeedback(twcc)])),
            Seed("rr-nack-pli-twcc.bin", compound([
                .receiverReport(ReceiverReport(ssrc: 1)),
                .genericNACK(GenericNACK(senderSSRC: 1, mediaSSRC: 2, sequenceNumbers: [100])),
                .pictureLossIndication(PictureLossIndication(senderSSRC: 1, mediaSSRC: 2)),
                .transportWideFeedback(try! TransportWideFeedback(
                    senderSSRC: 1, mediaSSRC: 2, baseSequenceNumber: 1, referenceTime: 100, feedbackPacketCount: 0,
                    packets: (1...20).map { .init(sequenceNumber: UInt16($0), deltaMicroseconds: 1000) })),
            ])),
            // Typed: padding on the last packet (P bit, count octet 4), XR and TMMBR (kept as unknown).
            Seed("rr-padded.bin", hex: "80C90001 00000001 A0C90002 00000002 00000004"),
            Seed("xr-unknown.bin", hex: "80CF0004 00000001 04000002 00000001 00000002"),
            Seed("tmmbr-unknown.bin", hex: "83CD0004 00000001 00000000 CAFEBABE 0C0A0028"),
        ]
    }

    static func compound(_ packets: [RTCPPacket]) -> [UInt8] {
        var bytes: [UInt8] = []
        RTCPCompoundPacket.serialize(packets, into: &bytes)
        return bytes
    }
}
