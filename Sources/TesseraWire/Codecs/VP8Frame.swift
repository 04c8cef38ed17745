/// A whole VP8 frame reassembled from RTP packets (RFC 7741 §4.5), descriptors removed.
public struct VP8Frame: Sendable, Hashable {
    /// The VP8 bitstream of the frame, ready for a decoder.
    public var data: [UInt8]
    /// The RTP timestamp shared by the frame's packets (90 kHz).
    public var timestamp: UInt32
    /// The frame tag, with dimensions for key frames.
    public var header: VP8FrameHeader
    /// PictureID of the first packet, if sent.
    public var pictureID: VP8PictureID?

    public var isKeyframe: Bool { header.isKeyframe }
}
