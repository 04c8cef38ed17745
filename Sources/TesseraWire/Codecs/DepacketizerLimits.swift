/// Bounds on what one depacketizer assembles, so hostile input cannot make it allocate
/// without limit. A frame that would exceed them is dropped with `WireError.Kind.tooLarge`.
public struct DepacketizerLimits: Sendable, Hashable {
    /// Largest assembled frame or access unit, in bytes.
    public var maxFrameBytes: Int
    /// Most RTP packets in one frame.
    public var maxPacketsPerFrame: Int
    /// Most NAL units in one H.264 access unit.
    public var maxNALUnitsPerFrame: Int

    public init(maxFrameBytes: Int = 4 * 1024 * 1024, maxPacketsPerFrame: Int = 1024, maxNALUnitsPerFrame: Int = 1024) {
        self.maxFrameBytes = maxFrameBytes
        self.maxPacketsPerFrame = maxPacketsPerFrame
        self.maxNALUnitsPerFrame = maxNALUnitsPerFrame
    }

    public static let `default` = DepacketizerLimits()
}
