/// An ICE candidate (RFC 8839 §5.1): the value of `a=candidate:` and of the `candidate`
/// string of trickle ICE,
/// `<foundation> <component> <transport> <priority> <address> <port> typ <type>
/// [raddr <address>] [rport <port>] *(<extension name> <extension value>)`.
///
/// The extensions browsers send (`tcptype` RFC 6544 §4.5, `generation`, `ufrag`, `network-id`,
/// `network-cost`) are typed; others are kept in order in `extensions`.
public struct ICECandidate: Sendable, Hashable, CustomStringConvertible {
    /// 1-32 `ice-char`s.
    public var foundation: String
    /// 1 = RTP, 2 = RTCP (absent with rtcp-mux).
    public var component: UInt16
    /// `udp` or `tcp` as written (case-insensitive; Firefox writes `UDP`).
    public var transport: String
    public var priority: UInt32
    /// An IP address or an FQDN (mDNS `.local` names).
    public var address: String
    public var port: UInt16
    public var type: ICECandidateType
    public var relatedAddress: String?
    public var relatedPort: UInt16?
    /// `active`, `passive` or `so` for TCP candidates (RFC 6544 §4.5).
    public var tcpType: String?
    public var generation: UInt32?
    public var ufrag: String?
    public var networkID: UInt32?
    public var networkCost: UInt32?
    /// Other extension name/value pairs, in order.
    public var extensions: [Extension]

    public struct Extension: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Extension pairs accepted on one candidate.
    static let maxExtensions = 32

    public init(foundation: String, component: UInt16 = 1, transport: String = "udp", priority: UInt32,
                address: String, port: UInt16, type: ICECandidateType = .host,
                relatedAddress: String? = nil, relatedPort: UInt16? = nil, tcpType: String? = nil,
                generation: UInt32? = nil, ufrag: String? = nil, networkID: UInt32? = nil,
                networkCost: UInt32? = nil, extensions: [Extension] = []) {
        self.foundation = foundation
        self.component = component
        self.transport = transport
        self.priority = priority
        self.address = address
        self.port = port
        self.type = type
        self.relatedAddress = relatedAddress
        self.relatedPort = relatedPort
        self.tcpType = tcpType
        self.generation = generation
        self.ufrag = ufrag
        self.networkID = networkID
        self.networkCost = networkCost
        self.extensions = extensions
    }

    /// Parses an attribute value, with or without the leading `candidate:` (`a=` excluded).
    public init<S: StringProtocol>(parsing text: S) throws(WireError) {
        var value = Substring(text)
        if value.utf8.starts(with: "candidate:".utf8) { value = Substring(value.utf8.dropFirst("candidate:".utf8.count)) }
        let fields = SDPText.tokens(value)
        guard fields.count >= 8 else { throw WireError(.malformed, "candidate: expected at least 8 fields") }
        guard fields[6] == "typ" else { throw WireError(.malformed, "candidate: expected 'typ' as 7th field") }
        guard fields[0].utf8.count <= 32, fields[0].allSatisfy(Self.isICEChar) else {
            throw WireError(.malformed, "candidate: bad foundation")
        }
        let component: UInt16 = try SDPText.number(fields[1], "candidate component")
        guard (1...256).contains(component) else { throw WireError(.malformed, "candidate: component \(component)") }
        guard fields[4].utf8.count <= 255 else { throw WireError(.tooLarge, "candidate address") }
        self.init(foundation: String(fields[0]), component: component, transport: String(fields[2]),
                  priority: try SDPText.number(fields[3], "candidate priority"), address: String(fields[4]),
                  port: try SDPText.number(fields[5], "candidate port"), type: ICECandidateType(rawValue: String(fields[7])))

        let rest = fields.dropFirst(8)
        guard rest.count % 2 == 0 else { throw WireError(.malformed, "candidate: extension without value") }
        guard rest.count / 2 <= Self.maxExtensions else { throw WireError(.tooLarge, "candidate extensions") }
        var index = rest.startIndex
        while index < rest.endIndex {
            let name = rest[index]
            let value = rest[index + 1]
            index += 2
            switch name {
            case "raddr": relatedAddress = String(value)
            case "rport": relatedPort = try SDPText.number(value, "candidate rport")
            case "tcptype": tcpType = String(value)
            case "generation": generation = try SDPText.number(value, "candidate generation")
            case "ufrag": ufrag = String(value)
            case "network-id": networkID = try SDPText.number(value, "candidate network-id")
            case "network-cost": networkCost = try SDPText.number(value, "candidate network-cost")
            default: extensions.append(Extension(name: String(name), value: String(value)))
            }
        }
    }

    /// `ice-char` of RFC 8839 §5.1: ALPHA / DIGIT / "+" / "/".
    static func isICEChar(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return (ascii >= 0x30 && ascii <= 0x39) || (ascii | 0x20 >= 0x61 && ascii | 0x20 <= 0x7A) || ascii == 0x2B || ascii == 0x2F
    }

    /// The attribute value without `candidate:` (what follows `a=candidate:`).
    public var attributeValue: String {
        var parts = [foundation, "\(component)", transport, "\(priority)", address, "\(port)", "typ", type.rawValue]
        if let relatedAddress { parts += ["raddr", relatedAddress] }
        if let relatedPort { parts += ["rport", "\(relatedPort)"] }
        if let tcpType { parts += ["tcptype", tcpType] }
        if let generation { parts += ["generation", "\(generation)"] }
        if let ufrag { parts += ["ufrag", ufrag] }
        if let networkID { parts += ["network-id", "\(networkID)"] }
        if let networkCost { parts += ["network-cost", "\(networkCost)"] }
        for item in extensions { parts += [item.name, item.value] }
        return parts.joined(separator: " ")
    }

    /// `candidate:<attribute value>`, the form trickle ICE (RFC 8840) and browsers' `candidate` use.
    public var description: String { "candidate:" + attributeValue }

    /// The RFC 8445 §5.1.2.1 priority: (2^24)·type preference + (2^8)·local preference + (256 − component).
    public static func priority(typePreference: UInt8, localPreference: UInt16, component: UInt16) -> UInt32 {
        UInt32(typePreference) << 24 | UInt32(localPreference) << 8 | UInt32(256 - min(max(component, 1), 256))
    }
}
