/// Extends 16-bit RTP (or transport-wide) sequence numbers to 64 bits across wrap-around
/// (RFC 3550 §A.1): each number is placed within ±32768 of the highest one seen so far.
///
/// The first number keeps its value (cycle 0); numbers before it may come out negative.
public struct SequenceNumberUnwrapper: Sendable, Equatable {
    /// The highest extended number returned so far; nil before the first.
    public private(set) var highest: Int64?

    public init() {}

    /// The extended form of `sequenceNumber` without recording it.
    public func peek(_ sequenceNumber: UInt16) -> Int64 {
        guard let highest else { return Int64(sequenceNumber) }
        let delta = Int16(bitPattern: sequenceNumber &- UInt16(truncatingIfNeeded: highest))
        return highest + Int64(delta)
    }

    /// The extended form of `sequenceNumber`; raises `highest` when it is newer.
    public mutating func unwrap(_ sequenceNumber: UInt16) -> Int64 {
        let extended = peek(sequenceNumber)
        if highest.map({ extended > $0 }) ?? true { highest = extended }
        return extended
    }

    /// Forgets every number seen.
    public mutating func reset() {
        highest = nil
    }
}
