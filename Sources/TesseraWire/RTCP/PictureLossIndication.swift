/// Picture loss indication, PSFB (PT 206) FMT 1 (RFC 4585 §6.3.1). It has no FCI; any
/// bytes after the two SSRCs are ignored.
public struct PictureLossIndication: Sendable, Equatable {
    public static let format: UInt8 = 1

    public var senderSSRC: UInt32
    public var mediaSSRC: UInt32

    public init(senderSSRC: UInt32, mediaSSRC: UInt32) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
    }

    init(body reader: inout ByteReader) throws(WireError) {
        senderSSRC = try reader.u32("RTCP PLI")
        mediaSSRC = try reader.u32("RTCP PLI")
    }

    func write(to writer: inout ByteWriter) {
        let start = writer.beginRTCP(.payloadSpecificFeedback, count: Self.format)
        writer.u32(senderSSRC)
        writer.u32(mediaSSRC)
        writer.endRTCP(startingAt: start)
    }
}
