/// One RTP payload format of a media section, gathered from its `a=rtpmap`, `a=fmtp` and
/// `a=rtcp-fb` lines (RFC 8866 §6.6, §6.15; RFC 4585 §4.2; JSEP RFC 8829 §5.8).
public struct RTPCodec: Sendable, Hashable {
    public var payloadType: UInt8
    /// Encoding name as written (`opus`, `VP8`, `H264`, `rtx`); compare case-insensitively.
    public var name: String
    public var clockRate: UInt32
    /// Channel count when given (`opus/48000/2`).
    public var channels: UInt8?
    public var parameters: [SDPFormatParameter]
    /// Feedback for this payload type, including wildcard (`*`) entries of the section.
    public var feedback: [SDPRTCPFeedback]

    public init(payloadType: UInt8, name: String, clockRate: UInt32, channels: UInt8? = nil,
                parameters: [SDPFormatParameter] = [], feedback: [SDPRTCPFeedback] = []) {
        self.payloadType = payloadType
        self.name = name
        self.clockRate = clockRate
        self.channels = channels
        self.parameters = parameters
        self.feedback = feedback
    }

    /// The value of the fmtp parameter `name` (case-insensitive).
    public func parameter(_ name: String) -> String? {
        SDPFormatParameters(payloadType: payloadType, parameters: parameters)[name]
    }

    /// True when `name` matches case-insensitively (`"vp8"` matches `VP8`).
    public func hasName(_ name: String) -> Bool { self.name.lowercased() == name.lowercased() }

    /// For `rtx` (RFC 4588 §8.6): the payload type it retransmits (`apt=`).
    public var associatedPayloadType: UInt8? {
        parameter("apt").flatMap { UInt8($0) }
    }

    /// Static payload types that may appear without an rtpmap (RFC 3551 §6).
    static func staticCodec(_ payloadType: UInt8) -> RTPCodec? {
        switch payloadType {
        case 0: RTPCodec(payloadType: 0, name: "PCMU", clockRate: 8000, channels: 1)
        case 8: RTPCodec(payloadType: 8, name: "PCMA", clockRate: 8000, channels: 1)
        case 9: RTPCodec(payloadType: 9, name: "G722", clockRate: 8000, channels: 1)
        default: nil
        }
    }
}
