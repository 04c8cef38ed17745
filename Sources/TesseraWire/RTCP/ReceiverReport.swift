/// RTCP receiver report, PT 201 (RFC 3550 §6.4.2).
///
/// Profile-specific extensions after the report blocks are skipped when parsing and not
/// written.
public struct ReceiverReport: Sendable, Equatable {
    /// The 5-bit RC field bounds the block list; extra blocks are not written.
    public static let maxReportBlocks = 31

    /// SSRC of the packet sender.
    public var ssrc: UInt32
    public var reportBlocks: [ReportBlock]

    public init(ssrc: UInt32, reportBlocks: [ReportBlock] = []) {
        self.ssrc = ssrc
        self.reportBlocks = reportBlocks
    }

    init(reportCount: UInt8, body reader: inout ByteReader) throws(WireError) {
        ssrc = try reader.u32("RTCP RR")
        reportBlocks = try ReportBlock.readList(count: reportCount, from: &reader)
    }

    func write(to writer: inout ByteWriter) {
        let blocks = reportBlocks.prefix(Self.maxReportBlocks)
        let start = writer.beginRTCP(.receiverReport, count: UInt8(blocks.count))
        writer.u32(ssrc)
        for block in blocks { block.write(to: &writer) }
        writer.endRTCP(startingAt: start)
    }
}
