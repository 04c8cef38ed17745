/// The start of a VP8 frame: the 3-byte payload header / frame tag (RFC 7741 §4.3, RFC 6386
/// §9.1) and, for key frames, the start code and dimensions that follow (RFC 6386 §9.2).
public struct VP8FrameHeader: Sendable, Hashable {
    /// P = 0 in the frame tag.
    public var isKeyframe: Bool
    public var version: UInt8
    public var showFrame: Bool
    /// Size of the first partition in bytes (19 bits).
    public var firstPartitionSize: UInt32
    /// Key frames only: 14-bit width and height in pixels.
    public var width: UInt16?
    public var height: UInt16?
    /// Key frames only: 2-bit upscaling codes.
    public var horizontalScale: UInt8?
    public var verticalScale: UInt8?

    /// The key frame start code (RFC 6386 §9.2).
    static let startCode: [UInt8] = [0x9D, 0x01, 0x2A]

    /// Parses the beginning of a frame (the bytes after the first packet's descriptor).
    public init(parsing reader: inout ByteReader) throws(WireError) {
        let tag = try reader.u24("VP8 frame tag")
        let byte0 = UInt8(truncatingIfNeeded: tag >> 16)
        let byte1 = UInt32(UInt8(truncatingIfNeeded: tag >> 8))
        let byte2 = UInt32(UInt8(truncatingIfNeeded: tag))
        isKeyframe = byte0 & 0x01 == 0
        version = byte0 >> 1 & 0x07
        showFrame = byte0 & 0x10 != 0
        firstPartitionSize = UInt32(byte0 >> 5) | byte1 << 3 | byte2 << 11
        guard isKeyframe else { return }
        for expected in Self.startCode {
            guard try reader.u8("VP8 key frame start code") == expected else {
                throw WireError(.malformed, "VP8 key frame start code")
            }
        }
        let widthField = try reader.u16("VP8 key frame width")
        let heightField = try reader.u16("VP8 key frame height")
        // Little-endian on the wire: swap the big-endian reads.
        let widthLE = widthField >> 8 | widthField << 8
        let heightLE = heightField >> 8 | heightField << 8
        width = widthLE & 0x3FFF
        horizontalScale = UInt8(widthLE >> 14)
        height = heightLE & 0x3FFF
        verticalScale = UInt8(heightLE >> 14)
    }
}
