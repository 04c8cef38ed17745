/// The RTP payload of Opus: exactly one Opus packet (RFC 7587 §4.2), checked against the
/// framing rules of RFC 6716 §3.4 (R1-R5) so its frame count and duration can be trusted.
public struct OpusPacket: Sendable, Hashable {
    /// Longest frame in bytes (RFC 6716 §3.2.1, R2).
    public static let maxFrameBytes = 1275
    /// Longest packet duration (RFC 6716 §3.2.5, R5).
    public static let maxDurationMicroseconds = 120_000

    public var toc: OpusTOC
    public var frameCount: Int

    /// Total duration in microseconds.
    public var durationMicroseconds: Int { frameCount * toc.frameDurationMicroseconds }
    /// Samples per channel at 48 kHz: how far the next packet's RTP timestamp moves.
    public var samples: Int { frameCount * toc.samplesPerFrame }

    public init(parsing payload: ByteReader) throws(WireError) {
        var reader = payload
        toc = OpusTOC(try reader.u8("Opus TOC"))
        switch toc.frameCountCode {
        case 0:
            frameCount = 1
            guard reader.remaining <= Self.maxFrameBytes else { throw WireError(.malformed, "Opus frame over 1275 bytes") }
        case 1:
            frameCount = 2
            guard reader.remaining % 2 == 0 else { throw WireError(.malformed, "Opus code 1 with odd length") }
            guard reader.remaining / 2 <= Self.maxFrameBytes else { throw WireError(.malformed, "Opus frame over 1275 bytes") }
        case 2:
            frameCount = 2
            let first = try Self.frameLength(&reader)
            guard first <= reader.remaining else { throw WireError(.truncated, "Opus code 2 first frame") }
            guard reader.remaining - first <= Self.maxFrameBytes else { throw WireError(.malformed, "Opus frame over 1275 bytes") }
        default:
            let count = try reader.u8("Opus frame count byte")
            frameCount = Int(count & 0x3F)
            guard frameCount >= 1 else { throw WireError(.malformed, "Opus code 3 with zero frames") }
        }
        guard durationMicroseconds <= Self.maxDurationMicroseconds else {
            throw WireError(.malformed, "Opus packet longer than 120 ms")
        }
    }

    public init(parsing payload: [UInt8]) throws(WireError) {
        try self.init(parsing: ByteReader(payload))
    }

    /// A frame length of RFC 6716 §3.2.1: one byte below 252, else two bytes.
    private static func frameLength(_ reader: inout ByteReader) throws(WireError) -> Int {
        let first = Int(try reader.u8("Opus frame length"))
        guard first >= 252 else { return first }
        return Int(try reader.u8("Opus frame length")) * 4 + first
    }
}
