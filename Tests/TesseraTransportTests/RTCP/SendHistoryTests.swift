import Testing
@testable import TesseraTransport

@Suite struct SendHistoryTests {
    @Test func storesAndFindsPackets() {
        var history = SendHistory(capacity: 16)
        #expect(history.packet(for: 1) == nil)
        for seq: UInt16 in 1...5 { history.store(rtpBytes(sequenceNumber: seq), sequenceNumber: seq, at: ms(Int64(seq))) }
        #expect(history.packet(for: 3) == rtpBytes(sequenceNumber: 3))
        #expect(history.entry(for: 4)?.sentAt == ms(4))
        #expect(history.packet(for: 6) == nil)
        #expect(history.count == 5)
    }

    @Test func wrapsAroundSequenceNumbers() {
        var history = SendHistory(capacity: 16)
        var seq: UInt16 = 65530
        for index in 0..<12 {
            history.store(rtpBytes(sequenceNumber: seq), sequenceNumber: seq, at: ms(Int64(index)))
            seq &+= 1
        }
        for expected: UInt16 in [65530, 65535, 0, 5] {
            #expect(history.packet(for: expected) == rtpBytes(sequenceNumber: expected))
        }
        #expect(history.packet(for: 6) == nil)
        #expect(history.packet(for: 65529) == nil)
    }

    @Test func evictsBeyondCapacity() {
        var history = SendHistory(capacity: 8)
        for seq: UInt16 in 0..<20 { history.store(rtpBytes(sequenceNumber: seq), sequenceNumber: seq, at: .zero) }
        #expect(history.count == 8)
        #expect(history.packet(for: 11) == nil)
        #expect(history.packet(for: 12) != nil)
        #expect(history.packet(for: 19) != nil)
        // Older than the window: ignored.
        history.store([1, 2, 3], sequenceNumber: 5, at: .zero)
        #expect(history.packet(for: 5) == nil)
    }

    @Test func staleSlotFromEarlierCycleIsNotReturned() {
        var history = SendHistory(capacity: 4)
        history.store([1], sequenceNumber: 0, at: .zero)
        // 1...4 overwrite every slot; after a long jump the old number must not alias.
        for seq: UInt16 in 1...3 { history.store([UInt8(seq)], sequenceNumber: seq, at: .zero) }
        history.store([9], sequenceNumber: 100, at: .zero)
        #expect(history.packet(for: 0) == nil)
        #expect(history.packet(for: 3) == nil)
        #expect(history.packet(for: 100) == [9])
        #expect(history.count == 1)
        #expect(history.storedBytes == 1)
    }

    @Test func evictsOldestWhenOverByteBudget() {
        var history = SendHistory(capacity: 64, maxBytes: 1000)
        for seq: UInt16 in 0..<10 {
            history.store([UInt8](repeating: UInt8(seq), count: 300), sequenceNumber: seq, at: .zero)
        }
        #expect(history.storedBytes <= 1000)
        #expect(history.count == 3)
        #expect(history.packet(for: 6) == nil)
        #expect(history.packet(for: 7) != nil)
        #expect(history.packet(for: 9) != nil)
        // Too large to ever fit: refused, nothing evicted.
        history.store([UInt8](repeating: 0, count: 1001), sequenceNumber: 10, at: .zero)
        #expect(history.packet(for: 10) == nil)
        #expect(history.count == 3)
    }

    @Test func replacesSameSequenceNumber() {
        var history = SendHistory(capacity: 8)
        history.store([1, 1], sequenceNumber: 7, at: .zero)
        history.store([2, 2, 2], sequenceNumber: 7, at: ms(1))
        #expect(history.packet(for: 7) == [2, 2, 2])
        #expect(history.count == 1)
        #expect(history.storedBytes == 3)
        history.removeAll()
        #expect(history.packet(for: 7) == nil)
        #expect(history.storedBytes == 0)
    }
}
