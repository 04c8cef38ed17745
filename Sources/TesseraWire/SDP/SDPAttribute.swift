/// One `a=` line (RFC 8866 §5.13). The attributes WebRTC negotiates are parsed into typed
/// values when the description is parsed, so a malformed one is reported with its line;
/// any other attribute is kept as written in `.other`.
public enum SDPAttribute: Sendable, Hashable {
    /// `a=mid` (RFC 5888 §4).
    case mid(String)
    /// `a=sendrecv` / `sendonly` / `recvonly` / `inactive` (RFC 8866 §6.7).
    case direction(SDPDirection)
    case rtpmap(SDPRTPMap)
    case fmtp(SDPFormatParameters)
    case rtcpFeedback(SDPRTCPFeedback)
    case extmap(SDPExtmap)
    case ssrc(SDPSSRCAttribute)
    case ssrcGroup(SDPSSRCGroup)
    case msid(SDPMediaStreamID)
    /// `a=rtcp-mux` (RFC 5761 §5.1.3).
    case rtcpMux
    /// `a=rtcp-rsize` (RFC 5506 §5).
    case rtcpReducedSize
    case setup(SDPSetupRole)
    case fingerprint(SDPFingerprint)
    /// `a=ice-ufrag` (RFC 8839 §5.4).
    case iceUfrag(String)
    /// `a=ice-pwd` (RFC 8839 §5.4).
    case icePwd(String)
    /// `a=ice-options` (RFC 8839 §5.6), e.g. `trickle`.
    case iceOptions([String])
    /// `a=ice-lite` (RFC 8839 §5.3), session level.
    case iceLite
    /// `a=candidate` (RFC 8839 §5.1).
    case candidate(ICECandidate)
    /// `a=end-of-candidates` (RFC 8840 §8.2).
    case endOfCandidates
    /// `a=group` (RFC 5888 §5), e.g. BUNDLE (RFC 8843).
    case group(SDPGroup)
    /// Any other attribute: the name and the text after the first `:` exactly as written.
    case other(name: String, value: String?)

    /// Parses the text after `a=`.
    public init(parsing text: Substring) throws(WireError) {
        let (name, value) = SDPText.splitFirst(text, ":")
        guard !name.isEmpty, !name.utf8.contains(where: SDPText.isSpace) else {
            throw WireError(.malformed, "a=: bad attribute name")
        }
        guard let value else {
            switch name {
            case "rtcp-mux": self = .rtcpMux
            case "rtcp-rsize": self = .rtcpReducedSize
            case "ice-lite": self = .iceLite
            case "end-of-candidates": self = .endOfCandidates
            default:
                if let direction = SDPDirection(rawValue: String(name)) {
                    self = .direction(direction)
                } else if Self.valueRequired.contains(name) {
                    throw WireError(.malformed, "a=\(name): missing value")
                } else {
                    self = .other(name: String(name), value: nil)
                }
            }
            return
        }
        switch name {
        case "mid": self = .mid(try SDPText.token(value, "mid"))
        case "rtpmap": self = .rtpmap(try SDPRTPMap(parsing: value))
        case "fmtp": self = .fmtp(try SDPFormatParameters(parsing: value))
        case "rtcp-fb": self = .rtcpFeedback(try SDPRTCPFeedback(parsing: value))
        case "extmap": self = .extmap(try SDPExtmap(parsing: value))
        case "ssrc": self = .ssrc(try SDPSSRCAttribute(parsing: value))
        case "ssrc-group": self = .ssrcGroup(try SDPSSRCGroup(parsing: value))
        case "msid": self = .msid(try SDPMediaStreamID(parsing: value))
        case "setup":
            guard let role = SDPSetupRole(rawValue: String(value)) else {
                throw WireError(.malformed, "setup: unknown role '\(value.prefix(16))'")
            }
            self = .setup(role)
        case "fingerprint": self = .fingerprint(try SDPFingerprint(parsing: value))
        case "ice-ufrag": self = .iceUfrag(try Self.iceCredential(value, "ice-ufrag", 4...256))
        case "ice-pwd": self = .icePwd(try Self.iceCredential(value, "ice-pwd", 22...256))
        case "ice-options":
            let options = SDPText.tokens(value).map(String.init)
            guard !options.isEmpty else { throw WireError(.malformed, "ice-options: empty") }
            self = .iceOptions(options)
        case "candidate": self = .candidate(try ICECandidate(parsing: value))
        case "group": self = .group(try SDPGroup(parsing: value))
        default: self = .other(name: String(name), value: String(value))
        }
    }

    private static let valueRequired: Set<Substring> = [
        "mid", "rtpmap", "fmtp", "rtcp-fb", "extmap", "ssrc", "ssrc-group", "msid", "setup",
        "fingerprint", "ice-ufrag", "ice-pwd", "ice-options", "candidate", "group",
    ]

    /// ufrag: 4-256 ice-chars, pwd: 22-256 (RFC 8839 §5.4).
    private static func iceCredential(_ value: Substring, _ context: String, _ length: ClosedRange<Int>) throws(WireError) -> String {
        guard length.contains(value.utf8.count), value.allSatisfy(ICECandidate.isICEChar) else {
            throw WireError(.malformed, "\(context): need \(length.lowerBound)-\(length.upperBound) ice-chars")
        }
        return String(value)
    }

    /// The text after `a=`.
    public var text: String {
        switch self {
        case .mid(let mid): "mid:\(mid)"
        case .direction(let direction): direction.rawValue
        case .rtpmap(let map): "rtpmap:\(map.value)"
        case .fmtp(let parameters): "fmtp:\(parameters.value)"
        case .rtcpFeedback(let feedback): "rtcp-fb:\(feedback.value)"
        case .extmap(let extmap): "extmap:\(extmap.value)"
        case .ssrc(let ssrc): "ssrc:\(ssrc.text)"
        case .ssrcGroup(let group): "ssrc-group:\(group.value)"
        case .msid(let msid): "msid:\(msid.value)"
        case .rtcpMux: "rtcp-mux"
        case .rtcpReducedSize: "rtcp-rsize"
        case .setup(let role): "setup:\(role.rawValue)"
        case .fingerprint(let fingerprint): "fingerprint:\(fingerprint.value)"
        case .iceUfrag(let ufrag): "ice-ufrag:\(ufrag)"
        case .icePwd(let pwd): "ice-pwd:\(pwd)"
        case .iceOptions(let options): "ice-options:" + options.joined(separator: " ")
        case .iceLite: "ice-lite"
        case .candidate(let candidate): "candidate:\(candidate.attributeValue)"
        case .endOfCandidates: "end-of-candidates"
        case .group(let group): "group:\(group.value)"
        case .other(let name, let value): value.map { "\(name):\($0)" } ?? name
        }
    }
}
