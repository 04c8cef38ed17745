import Testing
import TesseraWire
@testable import TesseraTransport

@Suite struct NACKResponderTests {
    static func history(_ numbers: [UInt16], at time: MediaTime = .zero) -> SendHistory {
        var history = SendHistory(capacity: 64)
        for seq in numbers { history.store(rtpBytes(sequenceNumber: seq, paddingLength: seq == 0x1235 ? 4 : 0), sequenceNumber: seq, at: time) }
        return history
    }

    static func nack(_ numbers: [UInt16]) -> GenericNACK {
        GenericNACK(senderSSRC: 0xAAAA, mediaSSRC: 0x1111_1111, sequenceNumbers: numbers)
    }

    @Test func resendsOriginalBytesWithoutRTX() {
        let history = Self.history(Array(0...20))
        var responder = NACKResponder()
        let out = responder.respond(to: Self.nack([3, 5, 19, 30]), history: history, now: ms(10))
        #expect(out.map(\.originalSequenceNumber) == [3, 5, 19]) // 30 was never sent
        #expect(out.map(\.bytes) == [3, 5, 19].map { rtpBytes(sequenceNumber: $0) })
    }

    @Test func wrapsInRTXWithOriginalSequenceNumber() throws {
        let history = Self.history([0x1234, 0x1235])
        let rtx = NACKResponder.RTX(ssrc: 0x2222_2222, payloadType: 97, associatedPayloadType: 96)
        var responder = NACKResponder(configuration: .init(rtx: rtx), initialRTXSequenceNumber: 65535)
        let out = responder.respond(to: Self.nack([0x1234, 0x1235]), history: history, now: ms(1))
        #expect(out.count == 2)

        let first = try RTPPacket(parsing: out[0].bytes)
        #expect(first.header.ssrc == 0x2222_2222)
        #expect(first.header.payloadType == 97)
        #expect(first.header.sequenceNumber == 65535)
        #expect(first.header.timestamp == 1000)
        #expect(Array(first.payload) == [0x12, 0x34] + [0x12, 0x34, 0xAB, 0xCD]) // OSN, then original payload

        let second = try RTPPacket(parsing: out[1].bytes)
        #expect(second.header.sequenceNumber == 0) // own counter, wrapped
        #expect(second.paddingLength == 0) // original padding dropped
        #expect(Array(second.payload) == [0x12, 0x35] + [0x12, 0x35, 0xAB, 0xCD])
        #expect(out.map(\.originalSequenceNumber) == [0x1234, 0x1235])
        #expect(responder.rtxSequenceNumber == 1)
    }

    @Test func rtxSkipsPayloadTypeWithoutMapping() {
        let history = Self.history([1])
        let rtx = NACKResponder.RTX(ssrc: 2, payloadType: 99, associatedPayloadType: 100)
        var responder = NACKResponder(configuration: .init(rtx: rtx))
        let value1 = responder.respond(to: Self.nack([1]), history: history, now: .zero)
        #expect(value1.isEmpty)
    }

    @Test func rateLimitsRepeatedRequests() {
        let history = Self.history([1, 2, 3])
        var responder = NACKResponder()
        let value2 = responder.respond(to: Self.nack([1, 2]), history: history, now: ms(0))
        #expect(value2.count == 2)
        // Within 100 ms: 1 and 2 are held back, 3 is new.
        let value3 = responder.respond(to: Self.nack([1, 2, 3]), history: history, now: ms(50))
        #expect(value3.map(\.originalSequenceNumber) == [3])
        let value4 = responder.respond(to: Self.nack([1, 2, 3]), history: history, now: ms(99))
        #expect(value4.isEmpty)
        let value5 = responder.respond(to: Self.nack([1, 2, 3]), history: history, now: ms(100))
        #expect(value5.map(\.originalSequenceNumber) == [1, 2])
        // A measured RTT replaces the default interval.
        responder.updateRoundTripTime(.milliseconds(300))
        let value6 = responder.respond(to: Self.nack([1]), history: history, now: ms(250))
        #expect(value6.isEmpty)
        let value7 = responder.respond(to: Self.nack([1]), history: history, now: ms(400))
        #expect(value7.count == 1)
    }

    @Test func capsPacketsPerNACKAndSkipsOldPackets() {
        var configuration = NACKResponder.Configuration()
        configuration.maxPacketsPerNACK = 4
        var responder = NACKResponder(configuration: configuration)
        let history = Self.history(Array(0...40))
        let out = responder.respond(to: Self.nack(Array(0...40)), history: history, now: ms(1))
        #expect(out.map(\.originalSequenceNumber) == [0, 1, 2, 3])

        var fresh = NACKResponder()
        let value8 = fresh.respond(to: Self.nack([5]), history: history, now: ms(1001))
        #expect(value8.isEmpty) // older than 1 s
    }
}
