import Testing
@testable import TesseraWire

@Suite struct RTCPCompoundPacketTests {
    /// Chrome-style SR (no report blocks) + SDES with a 16-character CNAME.
    static let chromeSRSDES = hex("""
        80C80006 DEADBEEF E89A6C12 3F7CED91 0001E240 00000064 00003A98
        81CA0006 DEADBEEF 0110 34544F6B34326D536A58436B56496136 0000
        """)

    @Test func parsesChromeSRAndSDES() throws {
        let compound = try RTCPCompoundPacket(parsing: Self.chromeSRSDES)
        #expect(compound.packets.count == 2)
        guard case .senderReport(let sr) = compound.packets[0], case .sourceDescription(let sdes) = compound.packets[1] else {
            Issue.record("unexpected packets \(compound.packets)")
            return
        }
        #expect(sr.ssrc == 0xDEAD_BEEF)
        #expect(sr.ntpTimestamp == 0xE89A_6C12_3F7C_ED91)
        #expect(sr.rtpTimestamp == 123_456)
        #expect(sr.packetCount == 100)
        #expect(sr.octetCount == 15000)
        #expect(sr.reportBlocks.isEmpty)
        #expect(sdes.chunks.count == 1)
        #expect(sdes.chunks[0].ssrc == 0xDEAD_BEEF)
        #expect(sdes.chunks[0].cname == "4TOk42mSjXCkVIa6")

        var out: [UInt8] = []
        compound.serialize(into: &out)
        #expect(out == Self.chromeSRSDES)
        var rebuilt: [UInt8] = []
        RTCPCompoundPacket.serialize(compound.packets, into: &rebuilt)
        #expect(rebuilt == Self.chromeSRSDES)
    }

    @Test func truncatedPrefixesThrowExceptAtPacketBoundaries() {
        let bytes = Self.chromeSRSDES
        for length in 0..<bytes.count {
            let error = wireError { _ = try RTCPCompoundPacket(parsing: Array(bytes.prefix(length))) }
            if length == 28 {
                #expect(error == nil) // the SR alone is a valid compound packet
            } else {
                #expect(error?.kind == .truncated, "prefix \(length)")
            }
        }
    }

    @Test func paddingOnLastPacket() throws {
        // RR with no blocks, then a PLI padded with 4 octets (P bit, length includes padding).
        let bytes = hex("80C90001 00000001 A1CE0003 00000001 00000002 00000004")
        let compound = try RTCPCompoundPacket(parsing: bytes)
        #expect(compound.packets == [
            .receiverReport(ReceiverReport(ssrc: 1)),
            .pictureLossIndication(PictureLossIndication(senderSSRC: 1, mediaSSRC: 2)),
        ])
    }

    @Test func paddingIsStrippedBeforeParsingTheBody() throws {
        // BYE with padding: without stripping, the 0x00 0x00 0x00 0x04 would be read as a reason.
        let bytes = hex("A1CB0002 00000009 00000004")
        #expect(try RTCPCompoundPacket(parsing: bytes).packets == [.goodbye(Goodbye(ssrcs: [9]))])
    }

    @Test func paddingEdgeCases() {
        // Pad count zero.
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: hex("A0C90001 00000100")) }?.kind == .malformed)
        // Pad count larger than the body.
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: hex("A0C90001 00000009")) }?.kind == .malformed)
        // Pad count eating the SSRC: body too short for an RR.
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: hex("A0C90001 00000004")) }?.kind == .truncated)
        // P bit on a packet with no body.
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: hex("A0C90000")) }?.kind == .malformed)
        // P bit on a non-final packet is tolerated and stripped.
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: hex("A0C90002 00000001 00000004 80C90001 00000002")) } == nil)
    }

    @Test func unknownPacketTypesAreSkipped() throws {
        // APP (204), RR, XR (207), RTPFB FMT 3 (TMMBR), PSFB FMT 15 without "REMB".
        let bytes = hex("""
            80CC0002 00000001 4E414D45
            80C90001 00000002
            80CF0001 00000003
            83CD0002 00000004 00000005
            8FCE0003 00000006 00000000 41424344
            """)
        let compound = try RTCPCompoundPacket(parsing: bytes)
        #expect(compound.packets == [
            .unknown(type: 204, range: 0..<12),
            .receiverReport(ReceiverReport(ssrc: 2)),
            .unknown(type: 207, range: 20..<28),
            .unknown(type: 205, range: 28..<40),
            .unknown(type: 206, range: 40..<56),
        ])
        var out: [UInt8] = []
        compound.serialize(into: &out)
        #expect(out == bytes)
        var knownOnly: [UInt8] = []
        RTCPCompoundPacket.serialize(compound.packets, into: &knownOnly)
        #expect(knownOnly == hex("80C90001 00000002"))
    }

    @Test func lengthMustTileTheDatagram() {
        // Length overruns the datagram.
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: hex("80C90002 00000001")) }?.kind == .truncated)
        // Trailing bytes that are not a whole header.
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: hex("80C90001 00000001 80")) }?.kind == .truncated)
        // Trailing header with wrong version.
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: hex("80C90001 00000001 00000000")) }?.kind == .malformed)
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: []) }?.kind == .truncated)
    }

    @Test func packetCountIsBounded() throws {
        let pli = hex("81CE0002 00000001 00000002")
        let atLimit = Array((0..<RTCPCompoundPacket.maxPackets).map { _ in pli }.joined())
        #expect(try RTCPCompoundPacket(parsing: atLimit).packets.count == RTCPCompoundPacket.maxPackets)
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: atLimit + pli) }?.kind == .tooLarge)
    }

    @Test func headerParse() throws {
        var reader = ByteReader(hex("A5CD0004"))
        let header = try RTCPHeader(reading: &reader)
        #expect(header == RTCPHeader(padding: true, count: 5, packetType: 205, length: 4))
        #expect(header.packetSize == 20)
    }

    @Test func serializeAllTypesAsOneCompound() throws {
        let packets: [RTCPPacket] = [
            .senderReport(SenderReport(ssrc: 1, ntpTimestamp: 2, rtpTimestamp: 3, packetCount: 4, octetCount: 5, reportBlocks: [ReportBlock(ssrc: 9)])),
            .receiverReport(ReceiverReport(ssrc: 1, reportBlocks: [ReportBlock(ssrc: 8, cumulativeLost: -3)])),
            .sourceDescription(SourceDescription(chunks: [SourceDescription.Chunk(ssrc: 1, cname: "abc")])),
            .goodbye(Goodbye(ssrcs: [1], reasonText: "bye")),
            .genericNACK(GenericNACK(senderSSRC: 1, mediaSSRC: 2, sequenceNumbers: [5, 6, 30])),
            .pictureLossIndication(PictureLossIndication(senderSSRC: 1, mediaSSRC: 2)),
            .fullIntraRequest(FullIntraRequest(senderSSRC: 1, entries: [.init(ssrc: 2, sequenceNumber: 3)])),
            .remb(REMB(senderSSRC: 1, bitrate: 300_000, ssrcs: [2, 3])),
            .transportWideFeedback(try TransportWideFeedback(
                senderSSRC: 1, mediaSSRC: 2, baseSequenceNumber: 10, referenceTime: 5, feedbackPacketCount: 1,
                packets: [.init(sequenceNumber: 10, deltaMicroseconds: 500), .init(sequenceNumber: 11, deltaMicroseconds: nil)])),
        ]
        var out: [UInt8] = []
        RTCPCompoundPacket.serialize(packets, into: &out)
        #expect(out.count % 4 == 0)
        #expect(try RTCPCompoundPacket(parsing: out).packets == packets)
        for packet in packets {
            #expect(everyPrefixThrows(serialized(packet)), "\(packet)")
        }
    }
}
