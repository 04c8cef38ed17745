import Testing
import TesseraWire
@testable import TesseraTransport

@Suite struct NACKGeneratorTests {
    static func generator(maxRetries: Int = 10, maxMissing: Int = 256) -> NACKGenerator {
        var configuration = NACKGenerator.Configuration()
        configuration.maxRetries = maxRetries
        configuration.maxMissing = maxMissing
        return NACKGenerator(senderSSRC: 0xAAAA, mediaSSRC: 0xBBBB, configuration: configuration)
    }

    @Test func nacksGapAcrossWrap() {
        var generator = Self.generator()
        for seq: UInt16 in [65534, 65535, 2] { generator.packetReceived(sequenceNumber: seq, now: ms(0)) }
        #expect(generator.missingSequenceNumbers == [0, 1])
        let output = generator.poll(now: ms(0))
        #expect(output.nack?.sequenceNumbers == [0, 1])
        #expect(output.nack?.senderSSRC == 0xAAAA)
        #expect(output.nack?.mediaSSRC == 0xBBBB)
        #expect(output.nack?.items == [GenericNACK.Item(packetID: 0, lostPacketBitmask: 0b1)])
        #expect(!output.keyframeNeeded)
    }

    @Test func retriesSpacedThenGivesUpAndAsksForKeyframe() {
        var generator = Self.generator(maxRetries: 3)
        generator.packetReceived(sequenceNumber: 10, now: ms(0))
        generator.packetReceived(sequenceNumber: 12, now: ms(0))
        #expect(generator.nextDeadline == ms(0))
        let value1 = generator.poll(now: ms(0))
        #expect(value1.nack?.sequenceNumbers == [11])
        let value2 = generator.poll(now: ms(50))
        #expect(value2.nack == nil) // not yet 100 ms
        #expect(generator.nextDeadline == ms(100))
        let value3 = generator.poll(now: ms(100))
        #expect(value3.nack?.sequenceNumbers == [11])
        let value4 = generator.poll(now: ms(200))
        #expect(value4.nack?.sequenceNumbers == [11])
        let last = generator.poll(now: ms(300))
        #expect(last.nack == nil)
        #expect(last.keyframeNeeded)
        #expect(generator.missingSequenceNumbers.isEmpty)
        let value5 = generator.poll(now: ms(400))
        #expect(!value5.keyframeNeeded)
    }

    @Test func recoveredPacketIsNoLongerNACKed() {
        var generator = Self.generator()
        generator.packetReceived(sequenceNumber: 100, now: ms(0))
        generator.packetReceived(sequenceNumber: 104, now: ms(0))
        let value6 = generator.poll(now: ms(0))
        #expect(value6.nack?.sequenceNumbers == [101, 102, 103])
        generator.packetReceived(sequenceNumber: 102, now: ms(30)) // e.g. via RTX
        let value7 = generator.poll(now: ms(100))
        #expect(value7.nack?.sequenceNumbers == [101, 103])
        generator.packetReceived(sequenceNumber: 101, now: ms(130))
        generator.packetReceived(sequenceNumber: 103, now: ms(130))
        let value8 = generator.poll(now: ms(200))
        #expect(value8 == NACKGenerator.Output(nack: nil, keyframeNeeded: false))
        #expect(generator.nextDeadline == nil)
    }

    @Test func hugeJumpResetsAndAsksForKeyframe() {
        var generator = Self.generator()
        generator.packetReceived(sequenceNumber: 1, now: ms(0))
        generator.packetReceived(sequenceNumber: 3, now: ms(0))
        let value9 = generator.packetReceived(sequenceNumber: 3 + 1001, now: ms(0))
        #expect(value9)
        #expect(generator.missingSequenceNumbers.isEmpty)
        let output = generator.poll(now: ms(0))
        #expect(output.nack == nil)
        #expect(output.keyframeNeeded)
        // Tracking continues from the new position.
        generator.packetReceived(sequenceNumber: 1006, now: ms(10))
        let value10 = generator.poll(now: ms(10))
        #expect(value10.nack?.sequenceNumbers == [1005])
    }

    @Test func missingListIsBounded() {
        var generator = Self.generator(maxMissing: 8)
        generator.packetReceived(sequenceNumber: 0, now: ms(0))
        generator.packetReceived(sequenceNumber: 6, now: ms(0)) // 1...5 missing
        generator.packetReceived(sequenceNumber: 12, now: ms(0)) // 7...11 missing: 10 > 8
        #expect(generator.missingSequenceNumbers == [3, 4, 5, 7, 8, 9, 10, 11])
        #expect(generator.missingSequenceNumbers.count <= 8)
        let value11 = generator.poll(now: ms(0))
        #expect(value11.keyframeNeeded)
    }
}
