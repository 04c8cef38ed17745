public import TesseraWire

/// One media section as agreed by offer and answer.
public struct NegotiatedMedia: Sendable, Equatable {
    public enum Kind: String, Sendable { case audio, video }

    public let mid: String
    public let kind: Kind
    /// The client sends this media to us (it goes into the mix).
    public let receives: Bool
    /// We send the mixed stream of this kind to the client.
    public let sends: Bool
    /// The codec, with the client's payload type.
    public let codec: RTPCodec
    /// The RTX payload type for `codec`, when negotiated (RFC 4588).
    public let rtxPayloadType: UInt8?
    /// SSRCs the client announced for this section (may be empty: learned from RTP then).
    public let remoteSSRCs: [UInt32]
    /// Our SSRC for what we send in this section (and its RTX SSRC).
    public let localSSRC: UInt32
    public let localRTXSSRC: UInt32?
    /// Header extensions negotiated for this section, by the client's ids.
    public let extensions: HeaderExtensionMap
    /// RTCP feedback both sides use for `codec` (`nack`, `nack pli`, `ccm fir`, `goog-remb`, `transport-cc`).
    public let feedback: [SDPRTCPFeedback]

    public func usesFeedback(_ type: String, _ parameter: String? = nil) -> Bool {
        feedback.contains { $0.type == type && $0.parameter == parameter }
    }
}
