/// RTCP goodbye, PT 203 (RFC 3550 §6.6): up to 31 SSRC/CSRCs (the 5-bit SC field; extra
/// ones are not written) and an optional reason of at most 255 bytes.
public struct Goodbye: Sendable, Equatable {
    public static let maxSources = 31

    public var ssrcs: [UInt32]
    /// The reason for leaving, raw bytes (UTF-8 text); nil when absent.
    public var reason: [UInt8]?

    public init(ssrcs: [UInt32], reason: [UInt8]? = nil) {
        self.ssrcs = ssrcs
        self.reason = reason
    }

    public init(ssrcs: [UInt32], reasonText: String) {
        self.init(ssrcs: ssrcs, reason: Array(reasonText.utf8))
    }

    /// The reason decoded as UTF-8.
    public var reasonText: String? { reason.map { String(decoding: $0, as: UTF8.self) } }

    init(sourceCount: UInt8, body reader: inout ByteReader) throws(WireError) {
        let count = Int(sourceCount)
        guard count * 4 <= reader.remaining else { throw WireError(.truncated, "RTCP BYE sources") }
        var ssrcs: [UInt32] = []
        ssrcs.reserveCapacity(count)
        for _ in 0..<count { ssrcs.append(try reader.u32("RTCP BYE sources")) }
        self.ssrcs = ssrcs
        if reader.isAtEnd {
            reason = nil
        } else {
            let length = try reader.u8("RTCP BYE reason")
            reason = Array(try reader.bytes(Int(length), "RTCP BYE reason"))
        }
    }

    func write(to writer: inout ByteWriter) {
        let ssrcs = ssrcs.prefix(Self.maxSources)
        let start = writer.beginRTCP(.goodbye, count: UInt8(ssrcs.count))
        for ssrc in ssrcs { writer.u32(ssrc) }
        if let reason {
            let text = reason.prefix(255)
            writer.u8(UInt8(text.count))
            writer.append(contentsOf: text)
        }
        writer.endRTCP(startingAt: start)
    }
}
