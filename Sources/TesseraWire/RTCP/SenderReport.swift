/// RTCP sender report, PT 200 (RFC 3550 §6.4.1).
///
/// Profile-specific extensions after the report blocks are skipped when parsing and not
/// written.
public struct SenderReport: Sendable, Equatable {
    /// The 5-bit RC field bounds the block list; extra blocks are not written.
    public static let maxReportBlocks = 31

    public var ssrc: UInt32
    /// 64-bit NTP timestamp (32.32 fixed point seconds since 1900).
    public var ntpTimestamp: UInt64
    public var rtpTimestamp: UInt32
    public var packetCount: UInt32
    public var octetCount: UInt32
    public var reportBlocks: [ReportBlock]

    public init(
        ssrc: UInt32,
        ntpTimestamp: UInt64,
        rtpTimestamp: UInt32,
        packetCount: UInt32,
        octetCount: UInt32,
        reportBlocks: [ReportBlock] = []
    ) {
        self.ssrc = ssrc
        self.ntpTimestamp = ntpTimestamp
        self.rtpTimestamp = rtpTimestamp
        self.packetCount = packetCount
        self.octetCount = octetCount
        self.reportBlocks = reportBlocks
    }

    init(reportCount: UInt8, body reader: inout ByteReader) throws(WireError) {
        ssrc = try reader.u32("RTCP SR sender info")
        ntpTimestamp = try reader.u64("RTCP SR sender info")
        rtpTimestamp = try reader.u32("RTCP SR sender info")
        packetCount = try reader.u32("RTCP SR sender info")
        octetCount = try reader.u32("RTCP SR sender info")
        reportBlocks = try ReportBlock.readList(count: reportCount, from: &reader)
    }

    func write(to writer: inout ByteWriter) {
        let blocks = reportBlocks.prefix(Self.maxReportBlocks)
        let start = writer.beginRTCP(.senderReport, count: UInt8(blocks.count))
        writer.u32(ssrc)
        writer.u64(ntpTimestamp)
        writer.u32(rtpTimestamp)
        writer.u32(packetCount)
        writer.u32(octetCount)
        for block in blocks { block.write(to: &writer) }
        writer.endRTCP(startingAt: start)
    }
}
