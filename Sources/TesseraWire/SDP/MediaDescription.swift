/// One media section (RFC 8866 §5.14): the `m=` line and the `i=`, `c=`, `b=`, `k=` and `a=`
/// lines up to the next `m=`. Attributes stay in order; the properties below read them.
public struct MediaDescription: Sendable, Hashable {
    public var kind: SDPMediaKind
    public var port: UInt16
    /// The `/<number of ports>` suffix of the port, if any.
    public var portCount: UInt16?
    /// `UDP/TLS/RTP/SAVPF` for WebRTC media (RFC 8829 §5.1.2), `UDP/DTLS/SCTP` for data.
    public var proto: String
    /// Payload type numbers for RTP, as written.
    public var formats: [String]
    public var information: String?
    public var connection: SDPConnection?
    public var bandwidths: [SDPBandwidth]
    public var encryptionKey: String?
    public var attributes: [SDPAttribute]

    public init(kind: SDPMediaKind, port: UInt16 = 9, portCount: UInt16? = nil, proto: String = "UDP/TLS/RTP/SAVPF",
                formats: [String] = [], information: String? = nil,
                connection: SDPConnection? = SDPConnection(address: "0.0.0.0"),
                bandwidths: [SDPBandwidth] = [], encryptionKey: String? = nil, attributes: [SDPAttribute] = []) {
        self.kind = kind
        self.port = port
        self.portCount = portCount
        self.proto = proto
        self.formats = formats
        self.information = information
        self.connection = connection
        self.bandwidths = bandwidths
        self.encryptionKey = encryptionKey
        self.attributes = attributes
    }

    init(parsingMediaLine value: Substring) throws(WireError) {
        let fields = SDPText.tokens(value)
        guard fields.count >= 4 else { throw WireError(.malformed, "m=: expected '<media> <port> <proto> <fmt>…'") }
        let (portText, countText) = SDPText.splitFirst(fields[1], "/")
        var portCount: UInt16?
        if let countText { portCount = try SDPText.number(countText, "m= port count") }
        self.init(kind: SDPMediaKind(rawValue: String(fields[0])),
                  port: try SDPText.number(portText, "m= port"), portCount: portCount,
                  proto: String(fields[2]), formats: fields.dropFirst(3).map(String.init), connection: nil)
    }

    var mediaLine: String {
        "\(kind.rawValue) \(port)" + (portCount.map { "/\($0)" } ?? "") + " \(proto) " + formats.joined(separator: " ")
    }

    // MARK: Typed accessors

    public var mid: String? {
        for case .mid(let mid) in attributes { return mid }
        return nil
    }

    /// The direction attribute of this section, if present (JSEP default: sendrecv).
    public var direction: SDPDirection? {
        for case .direction(let direction) in attributes { return direction }
        return nil
    }

    /// Numeric formats in order (RTP payload types 0-127); other formats are skipped.
    public var payloadTypes: [UInt8] {
        formats.compactMap { UInt8($0) }.filter { $0 < 128 }
    }

    /// The RTP codecs in format order, each with its rtpmap, fmtp and rtcp-fb (wildcard
    /// feedback included). Formats without an rtpmap are skipped unless statically assigned.
    public var codecs: [RTPCodec] {
        var maps: [UInt8: SDPRTPMap] = [:]
        var parameters: [UInt8: [SDPFormatParameter]] = [:]
        var feedback: [SDPRTCPFeedback] = []
        for attribute in attributes {
            switch attribute {
            case .rtpmap(let map) where maps[map.payloadType] == nil: maps[map.payloadType] = map
            case .fmtp(let fmtp): parameters[fmtp.payloadType, default: []] += fmtp.parameters
            case .rtcpFeedback(let item): feedback.append(item)
            default: break
            }
        }
        var seen = Set<UInt8>()
        return payloadTypes.compactMap { payloadType -> RTPCodec? in
            guard seen.insert(payloadType).inserted else { return nil }
            var codec: RTPCodec
            if let map = maps[payloadType] {
                codec = RTPCodec(payloadType: payloadType, name: map.encodingName, clockRate: map.clockRate, channels: map.channels)
            } else if let known = RTPCodec.staticCodec(payloadType) {
                codec = known
            } else {
                return nil
            }
            codec.parameters = parameters[payloadType] ?? []
            codec.feedback = feedback.filter { $0.payloadType == nil || $0.payloadType == payloadType }
            return codec
        }
    }

    public var extmaps: [SDPExtmap] {
        attributes.compactMap { if case .extmap(let value) = $0 { value } else { nil } }
    }

    public var ssrcAttributes: [SDPSSRCAttribute] {
        attributes.compactMap { if case .ssrc(let value) = $0 { value } else { nil } }
    }

    /// Distinct SSRCs named by `a=ssrc` lines, in order of first appearance.
    public var ssrcs: [UInt32] {
        var seen = Set<UInt32>()
        return ssrcAttributes.map(\.ssrc).filter { seen.insert($0).inserted }
    }

    public var ssrcGroups: [SDPSSRCGroup] {
        attributes.compactMap { if case .ssrcGroup(let value) = $0 { value } else { nil } }
    }

    public var msid: SDPMediaStreamID? {
        for case .msid(let value) in attributes { return value }
        return nil
    }

    public var isRTCPMux: Bool { attributes.contains(.rtcpMux) }
    public var isRTCPReducedSize: Bool { attributes.contains(.rtcpReducedSize) }

    public var setup: SDPSetupRole? {
        for case .setup(let value) in attributes { return value }
        return nil
    }

    public var fingerprint: SDPFingerprint? {
        for case .fingerprint(let value) in attributes { return value }
        return nil
    }

    public var iceUfrag: String? {
        for case .iceUfrag(let value) in attributes { return value }
        return nil
    }

    public var icePwd: String? {
        for case .icePwd(let value) in attributes { return value }
        return nil
    }

    public var iceOptions: [String] {
        for case .iceOptions(let value) in attributes { return value }
        return []
    }

    public var candidates: [ICECandidate] {
        attributes.compactMap { if case .candidate(let value) = $0 { value } else { nil } }
    }

    public var endOfCandidates: Bool { attributes.contains(.endOfCandidates) }

    /// Appends a codec: its payload type to `formats` and its rtpmap, fmtp and rtcp-fb lines.
    public mutating func addCodec(_ codec: RTPCodec) {
        formats.append("\(codec.payloadType)")
        attributes.append(.rtpmap(SDPRTPMap(payloadType: codec.payloadType, encodingName: codec.name,
                                            clockRate: codec.clockRate, channels: codec.channels)))
        for item in codec.feedback {
            attributes.append(.rtcpFeedback(SDPRTCPFeedback(payloadType: codec.payloadType, type: item.type, parameter: item.parameter)))
        }
        if !codec.parameters.isEmpty {
            attributes.append(.fmtp(SDPFormatParameters(payloadType: codec.payloadType, parameters: codec.parameters)))
        }
    }
}
