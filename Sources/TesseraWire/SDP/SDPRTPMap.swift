/// `a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]` (RFC 8866 §6.6).
public struct SDPRTPMap: Sendable, Hashable {
    public var payloadType: UInt8
    public var encodingName: String
    public var clockRate: UInt32
    /// Audio channel count when given (`opus/48000/2`).
    public var channels: UInt8?

    public init(payloadType: UInt8, encodingName: String, clockRate: UInt32, channels: UInt8? = nil) {
        self.payloadType = payloadType
        self.encodingName = encodingName
        self.clockRate = clockRate
        self.channels = channels
    }

    init(parsing value: Substring) throws(WireError) {
        let (type, rest) = SDPText.splitFirstSpace(value)
        guard let rest else { throw WireError(.malformed, "rtpmap: expected '<pt> <name>/<rate>'") }
        let parts = SDPText.split(rest, "/", omittingEmpty: false)
        guard parts.count == 2 || parts.count == 3, !parts[0].isEmpty else {
            throw WireError(.malformed, "rtpmap: expected <name>/<rate>[/<channels>]")
        }
        self.init(payloadType: try SDPPayloadType.parse(type, "rtpmap"),
                  encodingName: try SDPText.token(parts[0], "rtpmap name"),
                  clockRate: try SDPText.number(parts[1], "rtpmap clock rate"),
                  channels: parts.count == 3 ? try SDPText.number(parts[2], "rtpmap channels") : nil)
    }

    var value: String {
        "\(payloadType) \(encodingName)/\(clockRate)" + (channels.map { "/\($0)" } ?? "")
    }
}

/// RTP payload type numbers in SDP: 0-127 (RFC 3550 §5.1, 7 bits).
enum SDPPayloadType {
    static func parse(_ text: Substring, _ context: String) throws(WireError) -> UInt8 {
        let value: UInt8 = try SDPText.number(text, "\(context) payload type")
        guard value < 128 else { throw WireError(.malformed, "\(context): payload type \(value) > 127") }
        return value
    }
}
