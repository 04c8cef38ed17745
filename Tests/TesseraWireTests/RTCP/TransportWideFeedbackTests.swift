import Testing
@testable import TesseraWire

@Suite struct TransportWideFeedbackTests {
    typealias Status = TransportWideFeedback.PacketStatus

    /// Base 100, 12 statuses: a run-length chunk (5 × small delta) then a 2-bit vector
    /// [lost, large, small, lost, small, small, small]; reference time 258, fb count 7.
    static let runAndTwoBit = hex("""
        8FCD0008 00000001 12345678
        0064000C 00010207
        2005C915
        040800FF 01FFFC10 02030400
        """)

    static let runAndTwoBitStatuses: [Status] = [
        .init(sequenceNumber: 100, deltaMicroseconds: 1000),
        .init(sequenceNumber: 101, deltaMicroseconds: 2000),
        .init(sequenceNumber: 102, deltaMicroseconds: 0),
        .init(sequenceNumber: 103, deltaMicroseconds: 63750),
        .init(sequenceNumber: 104, deltaMicroseconds: 250),
        .init(sequenceNumber: 105, deltaMicroseconds: nil),
        .init(sequenceNumber: 106, deltaMicroseconds: -1000),
        .init(sequenceNumber: 107, deltaMicroseconds: 4000),
        .init(sequenceNumber: 108, deltaMicroseconds: nil),
        .init(sequenceNumber: 109, deltaMicroseconds: 500),
        .init(sequenceNumber: 110, deltaMicroseconds: 750),
        .init(sequenceNumber: 111, deltaMicroseconds: 1000),
    ]

    /// Base 65534 (wraps), 14 statuses in one 1-bit vector, reference time -1.
    static let oneBitWrapping = hex("8FCD0006 00000001 00000002 FFFE000E FFFFFF00 AC010102 03040000")

    func feedback(_ bytes: [UInt8]) throws -> TransportWideFeedback? {
        guard case .transportWideFeedback(let twcc) = try RTCPCompoundPacket(parsing: bytes).packets.first else { return nil }
        return twcc
    }

    @Test func parsesRunLengthAndTwoBitVector() throws {
        let twcc = try #require(try feedback(Self.runAndTwoBit))
        #expect(twcc.senderSSRC == 1)
        #expect(twcc.mediaSSRC == 0x1234_5678)
        #expect(twcc.baseSequenceNumber == 100)
        #expect(twcc.referenceTime == 258)
        #expect(twcc.referenceTimeMicroseconds == 258 * 64_000)
        #expect(twcc.feedbackPacketCount == 7)
        #expect(twcc.packets == Self.runAndTwoBitStatuses)
        #expect(twcc.packets.filter(\.isReceived).count == 10)
        #expect(everyPrefixThrows(Self.runAndTwoBit))
    }

    @Test func buildsFromListAndReparses() throws {
        let built = try TransportWideFeedback(
            senderSSRC: 1, mediaSSRC: 0x1234_5678, baseSequenceNumber: 100, referenceTime: 258,
            feedbackPacketCount: 7, packets: Self.runAndTwoBitStatuses)
        let parsed = try #require(try feedback(Self.runAndTwoBit))
        #expect(built == parsed)
        #expect(try roundTrip(.transportWideFeedback(built)) == .transportWideFeedback(built))
    }

    @Test func parsesOneBitVectorWithWrapAndNegativeReference() throws {
        let twcc = try #require(try feedback(Self.oneBitWrapping))
        #expect(twcc.referenceTime == -1)
        #expect(twcc.packets.count == 14)
        #expect(twcc.packets.first?.sequenceNumber == 65534)
        #expect(twcc.packets.last?.sequenceNumber == 11)
        #expect(twcc.packets.filter(\.isReceived).map(\.sequenceNumber) == [65534, 0, 1, 11])
        #expect(twcc.packets.compactMap(\.deltaMicroseconds) == [250, 500, 750, 1000])
        // The encoder picks the same single 1-bit vector chunk.
        #expect(serialized(.transportWideFeedback(twcc)) == Self.oneBitWrapping)
        #expect(everyPrefixThrows(Self.oneBitWrapping))
    }

    @Test func encoderUsesRunLengthForLongRuns() throws {
        let received = (0..<20).map { Status(sequenceNumber: UInt16($0), deltaMicroseconds: 1000) }
        let twcc = try TransportWideFeedback(senderSSRC: 1, mediaSSRC: 2, baseSequenceNumber: 0, referenceTime: 0, feedbackPacketCount: 0, packets: received)
        let bytes = serialized(.transportWideFeedback(twcc))
        #expect(Array(bytes[20..<22]) == [0x20, 0x14]) // run of 20 × symbol 1
        #expect(bytes.count == 20 + 2 + 20 + 2)

        let large = (0..<7).map { Status(sequenceNumber: UInt16($0), deltaMicroseconds: -250) }
        let bytesLarge = serialized(.transportWideFeedback(try TransportWideFeedback(
            senderSSRC: 1, mediaSSRC: 2, baseSequenceNumber: 0, referenceTime: 0, feedbackPacketCount: 0, packets: large)))
        #expect(Array(bytesLarge[20..<24]) == [0x40, 0x07, 0xFF, 0xFF])
    }

    @Test func longLossRunsRoundTrip() throws {
        var statuses: [Status] = [Status(sequenceNumber: 65000, deltaMicroseconds: 8_000_000)]
        for index in 1..<4000 {
            let received = index % 1000 == 999 || (index > 3000 && index % 3 == 0)
            statuses.append(Status(sequenceNumber: 65000 &+ UInt16(index), deltaMicroseconds: received ? Int32(index % 300) * 250 : nil))
        }
        let twcc = try TransportWideFeedback(senderSSRC: 1, mediaSSRC: 2, baseSequenceNumber: 65000, referenceTime: 0x7F_FFFF, feedbackPacketCount: 255, packets: statuses)
        #expect(try roundTrip(.transportWideFeedback(twcc)) == .transportWideFeedback(twcc))
    }

    @Test func builderNormalizesAndValidates() throws {
        let twcc = try TransportWideFeedback(senderSSRC: 1, mediaSSRC: 2, baseSequenceNumber: 5, referenceTime: 0, feedbackPacketCount: 0,
                                             packets: [.init(sequenceNumber: 5, deltaMicroseconds: 1124), .init(sequenceNumber: 6, deltaMicroseconds: -1126)])
        #expect(twcc.packets.map(\.deltaMicroseconds) == [1000, -1250])

        func build(base: UInt16 = 5, reference: Int32 = 0, _ packets: [Status]) -> WireError? {
            wireError { _ = try TransportWideFeedback(senderSSRC: 1, mediaSSRC: 2, baseSequenceNumber: base, referenceTime: reference, feedbackPacketCount: 0, packets: packets) }
        }
        #expect(build([])?.kind == .malformed)
        #expect(build([.init(sequenceNumber: 6, deltaMicroseconds: nil)])?.kind == .malformed)
        #expect(build([.init(sequenceNumber: 5, deltaMicroseconds: nil), .init(sequenceNumber: 7, deltaMicroseconds: nil)])?.kind == .malformed)
        #expect(build(reference: 0x80_0000, [.init(sequenceNumber: 5, deltaMicroseconds: nil)])?.kind == .malformed)
        #expect(build([.init(sequenceNumber: 5, deltaMicroseconds: 8_192_000)])?.kind == .malformed)
        #expect(build([.init(sequenceNumber: 5, deltaMicroseconds: -8_192_000)]) == nil)
        let tooMany = (0...TransportWideFeedback.maxPacketStatusCount).map { Status(sequenceNumber: 5 &+ UInt16($0), deltaMicroseconds: nil) }
        #expect(build(tooMany)?.kind == .tooLarge)
    }

    @Test func statusCountBounds() {
        // Zero statuses.
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: hex("8FCD0004 00000001 00000002 00000000 00000000")) }?.kind == .malformed)
        // 4097 statuses from one run-length chunk: refused before any allocation.
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: hex("8FCD0005 00000001 00000002 00001001 00000000 01FF0000")) }?.kind == .tooLarge)
        // 4096 not-received statuses in one chunk: accepted.
        let lost = try? RTCPCompoundPacket(parsing: hex("8FCD0005 00000001 00000002 00001000 00000000 10000000"))
        #expect(lost != nil)
    }

    @Test func deltasMustFit() {
        // 8 statuses received-small by run chunk but only 2 delta bytes.
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: hex("8FCD0005 00000001 00000002 00000008 00000000 20080102")) }?.kind == .truncated)
        // Chunks run out before the status count is covered (zero-length runs).
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: hex("8FCD0005 00000001 00000002 00000008 00000000 00000000")) }?.kind == .truncated)
    }

    @Test func reservedSymbolIsMalformed() {
        // Run-length chunk with symbol 3.
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: hex("8FCD0005 00000001 00000002 00000001 00000000 60010000")) }?.kind == .malformed)
        // 2-bit vector with symbol 3 in slot 0.
        #expect(wireError { _ = try RTCPCompoundPacket(parsing: hex("8FCD0005 00000001 00000002 00000001 00000000 F0000000")) }?.kind == .malformed)
    }
}
