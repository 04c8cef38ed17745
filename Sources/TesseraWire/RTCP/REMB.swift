/// Receiver estimated maximum bitrate: PSFB (PT 206) FMT 15 (application layer feedback,
/// RFC 4585 §6.4) with identifier "REMB" (draft-alvestrand-rmcat-remb-03 §2.2).
///
/// ```
/// |  Unique identifier 'R' 'E' 'M' 'B'                            |
/// |  Num SSRC     | BR Exp    |  BR Mantissa                      |
/// |   SSRC feedback                                               | (Num SSRC times)
/// ```
/// Bitrate = mantissa (18 bits) << exponent (6 bits); encodings that overflow 64 bits are
/// `.malformed`. At most 255 SSRCs (8-bit count; extra ones are not written). The media
/// source SSRC is written as 0 and ignored when parsing.
public struct REMB: Sendable, Equatable {
    public static let format: UInt8 = 15
    public static let identifier: UInt32 = 0x5245_4D42 // "REMB"
    public static let maxSSRCs = 255
    public static let maxMantissa: UInt64 = 0x3_FFFF

    public var senderSSRC: UInt32
    /// Estimated bitrate in bits per second. Written as the largest representable value
    /// not above it (exact below 2^18, else low bits are dropped).
    public var bitrate: UInt64
    /// The media sources the estimate applies to.
    public var ssrcs: [UInt32]

    public init(senderSSRC: UInt32, bitrate: UInt64, ssrcs: [UInt32]) {
        self.senderSSRC = senderSSRC
        self.bitrate = bitrate
        self.ssrcs = ssrcs
    }

    /// The minimal (exponent, mantissa) encoding of `bitrate`, rounding down.
    public static func encode(bitrate: UInt64) -> (exponent: UInt8, mantissa: UInt32) {
        var mantissa = bitrate
        var exponent: UInt8 = 0
        while mantissa > maxMantissa {
            mantissa >>= 1
            exponent += 1
        }
        return (exponent, UInt32(mantissa))
    }

    /// True when a PSFB FMT 15 body carries the "REMB" identifier after the two SSRCs.
    static func matches(_ body: ByteReader) -> Bool {
        var reader = body
        guard (try? reader.skip(8, "REMB")) != nil, let identifier = try? reader.u32("REMB") else { return false }
        return identifier == Self.identifier
    }

    init(body reader: inout ByteReader) throws(WireError) {
        senderSSRC = try reader.u32("RTCP REMB")
        _ = try reader.u32("RTCP REMB media SSRC")
        guard try reader.u32("RTCP REMB identifier") == Self.identifier else {
            throw WireError(.malformed, "RTCP REMB identifier")
        }
        let count = Int(try reader.u8("RTCP REMB"))
        let exponentAndHigh = try reader.u8("RTCP REMB")
        let low = try reader.u16("RTCP REMB")
        let exponent = UInt64(exponentAndHigh >> 2)
        let mantissa = UInt64(exponentAndHigh & 0x03) << 16 | UInt64(low)
        guard exponent == 0 || mantissa == 0 || mantissa.leadingZeroBitCount >= exponent else {
            throw WireError(.malformed, "RTCP REMB bitrate overflows 64 bits")
        }
        bitrate = mantissa << exponent
        guard count * 4 <= reader.remaining else { throw WireError(.truncated, "RTCP REMB SSRC list") }
        var ssrcs: [UInt32] = []
        ssrcs.reserveCapacity(count)
        for _ in 0..<count { ssrcs.append(try reader.u32("RTCP REMB SSRC list")) }
        self.ssrcs = ssrcs
    }

    func write(to writer: inout ByteWriter) {
        let ssrcs = ssrcs.prefix(Self.maxSSRCs)
        let (exponent, mantissa) = Self.encode(bitrate: bitrate)
        let start = writer.beginRTCP(.payloadSpecificFeedback, count: Self.format)
        writer.u32(senderSSRC)
        writer.u32(0)
        writer.u32(Self.identifier)
        writer.u8(UInt8(ssrcs.count))
        writer.u8(exponent << 2 | UInt8(truncatingIfNeeded: mantissa >> 16))
        writer.u16(UInt16(truncatingIfNeeded: mantissa))
        for ssrc in ssrcs { writer.u32(ssrc) }
        writer.endRTCP(startingAt: start)
    }
}
