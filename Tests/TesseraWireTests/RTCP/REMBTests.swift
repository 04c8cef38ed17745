import Testing
@testable import TesseraWire

@Suite struct REMBTests {
    /// 1 Mbps = 250000 << 2: exp 2, mantissa 0x3D090.
    static let oneMegabit = hex("8FCE0005 00000001 00000000 52454D42 010BD090 00ABCDEF")
    /// libwebrtc remb_unittest vector: exp 1, mantissa 0x3FB93 → 522022 bps, three SSRCs.
    static let libwebrtc = hex("8FCE0007 12345678 00000000 52454D42 0307FB93 23456789 2BCDEF01 56789ABC")

    @Test func knownBitrate() throws {
        let packets = try RTCPCompoundPacket(parsing: Self.oneMegabit).packets
        #expect(packets == [.remb(REMB(senderSSRC: 1, bitrate: 1_000_000, ssrcs: [0xABCDEF]))])
        #expect(serialized(packets[0]) == Self.oneMegabit)
        #expect(everyPrefixThrows(Self.oneMegabit))
    }

    @Test func libwebrtcVector() throws {
        let packets = try RTCPCompoundPacket(parsing: Self.libwebrtc).packets
        #expect(packets == [.remb(REMB(senderSSRC: 0x1234_5678, bitrate: 522_022, ssrcs: [0x2345_6789, 0x2BCD_EF01, 0x5678_9ABC]))])
        #expect(serialized(packets[0]) == Self.libwebrtc)
    }

    @Test func encoding() {
        #expect(REMB.encode(bitrate: 0) == (0, 0))
        #expect(REMB.encode(bitrate: 0x3FFFF) == (0, 0x3FFFF))
        #expect(REMB.encode(bitrate: 0x40000) == (1, 0x20000))
        #expect(REMB.encode(bitrate: .max) == (46, 0x3FFFF))
    }

    @Test func roundTripsRoundingDown() throws {
        let remb = REMB(senderSSRC: 1, bitrate: 12_345_678_901, ssrcs: [])
        guard case .remb(let parsed) = try roundTrip(.remb(remb)) else {
            Issue.record("not a REMB")
            return
        }
        #expect(parsed.bitrate <= remb.bitrate)
        #expect(parsed.bitrate > remb.bitrate - remb.bitrate / 0x20000)
        #expect(try roundTrip(.remb(parsed)) == .remb(parsed))
    }

    @Test func overflowingExponentIsMalformed() {
        // exp 63, mantissa 0x3FFFF.
        let bytes = hex("8FCE0004 00000001 00000000 52454D42 00FFFFFF")
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: bytes) }?.kind == .malformed)
        // exp 46 with an 18-bit mantissa still fits.
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: hex("8FCE0004 00000001 00000000 52454D42 00BBFFFF")) } == nil)
    }

    @Test func ssrcCountOverrunThrows() {
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: hex("8FCE0005 00000001 00000000 52454D42 020BD090 00ABCDEF")) }?.kind == .truncated)
    }
}
