/// A reception report block of an SR or RR (RFC 3550 §6.4.1), 24 bytes.
public struct ReportBlock: Sendable, Equatable {
    public static let size = 24
    /// Range of the signed 24-bit cumulative-lost field; values outside are clamped on write.
    public static let cumulativeLostRange: ClosedRange<Int32> = -0x80_0000...0x7F_FFFF

    /// SSRC of the source this block reports on.
    public var ssrc: UInt32
    /// Fraction lost since the previous report, fixed point /256.
    public var fractionLost: UInt8
    /// Cumulative number of packets lost (signed 24-bit).
    public var cumulativeLost: Int32
    public var extendedHighestSequenceNumber: UInt32
    /// Interarrival jitter in timestamp units.
    public var jitter: UInt32
    /// LSR: middle 32 bits of the last SR's NTP timestamp.
    public var lastSenderReport: UInt32
    /// DLSR in units of 1/65536 s.
    public var delaySinceLastSenderReport: UInt32

    public init(
        ssrc: UInt32,
        fractionLost: UInt8 = 0,
        cumulativeLost: Int32 = 0,
        extendedHighestSequenceNumber: UInt32 = 0,
        jitter: UInt32 = 0,
        lastSenderReport: UInt32 = 0,
        delaySinceLastSenderReport: UInt32 = 0
    ) {
        self.ssrc = ssrc
        self.fractionLost = fractionLost
        self.cumulativeLost = cumulativeLost
        self.extendedHighestSequenceNumber = extendedHighestSequenceNumber
        self.jitter = jitter
        self.lastSenderReport = lastSenderReport
        self.delaySinceLastSenderReport = delaySinceLastSenderReport
    }

    init(reading reader: inout ByteReader) throws(WireError) {
        ssrc = try reader.u32("RTCP report block")
        fractionLost = try reader.u8("RTCP report block")
        cumulativeLost = try reader.i24("RTCP report block")
        extendedHighestSequenceNumber = try reader.u32("RTCP report block")
        jitter = try reader.u32("RTCP report block")
        lastSenderReport = try reader.u32("RTCP report block")
        delaySinceLastSenderReport = try reader.u32("RTCP report block")
    }

    /// Reads `count` blocks after checking they fit (`count` is the 5-bit RC, so ≤ 31).
    static func readList(count: UInt8, from reader: inout ByteReader) throws(WireError) -> [ReportBlock] {
        let count = Int(count)
        guard count * size <= reader.remaining else { throw WireError(.truncated, "RTCP report blocks") }
        var blocks: [ReportBlock] = []
        blocks.reserveCapacity(count)
        for _ in 0..<count { blocks.append(try ReportBlock(reading: &reader)) }
        return blocks
    }

    func write(to writer: inout ByteWriter) {
        writer.u32(ssrc)
        writer.u8(fractionLost)
        writer.i24(min(max(cumulativeLost, Self.cumulativeLostRange.lowerBound), Self.cumulativeLostRange.upperBound))
        writer.u32(extendedHighestSequenceNumber)
        writer.u32(jitter)
        writer.u32(lastSenderReport)
        writer.u32(delaySinceLastSenderReport)
    }
}
