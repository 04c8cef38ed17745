/// One H.264 access unit reassembled from RTP packets (RFC 6184 §5), in Annex B byte-stream
/// form: every NAL unit preceded by the start code 00 00 00 01.
public struct H264AccessUnit: Sendable, Hashable {
    public var data: [UInt8]
    /// The RTP timestamp shared by the access unit's packets (90 kHz).
    public var timestamp: UInt32
    public var nalUnitCount: Int
    public var containsIDR: Bool
    public var containsSPS: Bool
    public var containsPPS: Bool

    /// An IDR slice or an SPS: the decoder can start here.
    public var isKeyframe: Bool { containsIDR || containsSPS }
}
