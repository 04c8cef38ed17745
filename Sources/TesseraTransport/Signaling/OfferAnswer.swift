public import TesseraWire

/// What a peer session asks for: a participant publishes (WHIP) and, on `sendrecv`
/// sections, receives the mix; a viewer (WHEP) only receives.
public enum SessionRole: String, Sendable {
    case publisher, viewer
}

/// The result of answering an offer: the answer SDP and what the transport needs.
public struct Negotiation: Sendable {
    public let answer: SessionDescription
    public let localICE: ICECredentials
    public let remoteICE: ICECredentials
    public let remoteFingerprint: SDPFingerprint
    public let media: [NegotiatedMedia]
    /// The client offered `a=rtcp-rsize` (RFC 5506) on every accepted section.
    public let reducedSizeRTCP: Bool

    public var answerText: String { answer.serialized() }
}

/// Answers WHIP/WHEP offers (RFC 9725 with JSEP, RFC 8829): ICE-lite, DTLS passive,
/// rtcp-mux, BUNDLE on one UDP port; Opus for audio, VP8 then H.264 for video.
public struct OfferAnswer: Sendable {
    /// The address and port put in the answer's host candidate.
    public let candidateAddress: String
    public let candidatePort: UInt16
    /// Our DTLS certificate fingerprint (`sha-256`).
    public let fingerprint: SDPFingerprint
    /// The RTCP CNAME of everything we send.
    public let cname: String

    public init(candidateAddress: String, candidatePort: UInt16, fingerprint: SDPFingerprint, cname: String) {
        self.candidateAddress = candidateAddress
        self.candidatePort = candidatePort
        self.fingerprint = fingerprint
        self.cname = cname
    }

    /// Header extensions we understand; others in the offer are left out of the answer.
    static let supportedExtensions: [String] = [
        HeaderExtensionURI.mid, HeaderExtensionURI.absSendTime, HeaderExtensionURI.transportWideCC,
        HeaderExtensionURI.ssrcAudioLevel, HeaderExtensionURI.csrcAudioLevel,
    ]
    static let supportedFeedback: [(String, String?)] = [
        ("nack", nil), ("nack", "pli"), ("ccm", "fir"), ("goog-remb", nil), ("transport-cc", nil),
    ]

    public func answer(offer text: String, role: SessionRole, localICE: ICECredentials = .random()) throws(NegotiationError)
        -> Negotiation
    {
        let offer: SessionDescription
        do {
            offer = try SessionDescription(parsing: text)
        } catch {
            throw NegotiationError(.malformed, "the offer is not valid SDP: \(error.context)")
        }
        let mediaSections = offer.media.filter { $0.kind == .audio || $0.kind == .video }
        guard !mediaSections.isEmpty else {
            throw NegotiationError(.unacceptable, "the offer has no audio or video section")
        }
        for kind in [SDPMediaKind.audio, .video] where offer.media.filter({ $0.kind == kind && $0.port != 0 }).count > 1 {
            throw NegotiationError(.unacceptable, "the offer has more than one \(kind.rawValue) section; send one audio and/or one video")
        }
        let bundle = offer.bundleGroup?.mids ?? []
        var remoteICE: ICECredentials?
        var remoteFingerprint: SDPFingerprint?
        var agreed: [NegotiatedMedia] = []
        var answerSections: [MediaDescription] = []
        var reducedSize = true
        for section in offer.media {
            guard let mid = section.mid else {
                throw NegotiationError(.unacceptable, "every media section needs a=mid (BUNDLE, RFC 8843)")
            }
            guard section.kind == .audio || section.kind == .video, section.port != 0 else {
                answerSections.append(rejected(section, mid: mid))
                continue
            }
            let checked = try check(section, in: offer, mid: mid, role: role, bundled: mediaSections.count == 1 || bundle.contains(mid))
            if let previous = remoteICE, previous != checked.ice {
                throw NegotiationError(.unacceptable, "bundled sections must share ICE credentials (mid \(mid) differs)")
            }
            remoteICE = checked.ice
            remoteFingerprint = remoteFingerprint ?? checked.fingerprint
            reducedSize = reducedSize && section.isRTCPReducedSize
            let media = try negotiate(section, mid: mid, role: role)
            agreed.append(media)
            answerSections.append(answerSection(for: media, offered: section, localICE: localICE))
        }
        guard let remoteICE, let remoteFingerprint else {
            throw NegotiationError(.unacceptable, "the offer has no usable media section")
        }
        var attributes: [SDPAttribute] = [.iceLite, .group(SDPGroup(semantics: "BUNDLE", mids: agreed.map(\.mid)))]
        attributes.append(.other(name: "msid-semantic", value: " WMS tessera"))
        let answer = SessionDescription(
            origin: SDPOrigin(sessionID: UInt64.random(in: 1...UInt64(Int64.max)), sessionVersion: 2, address: "127.0.0.1"),
            attributes: attributes, media: answerSections)
        return Negotiation(
            answer: answer, localICE: localICE, remoteICE: remoteICE, remoteFingerprint: remoteFingerprint,
            media: agreed, reducedSizeRTCP: reducedSize)
    }

    private struct CheckedSection {
        let ice: ICECredentials
        let fingerprint: SDPFingerprint
    }

    /// Transport-level rules every accepted section must meet.
    private func check(_ section: MediaDescription, in offer: SessionDescription, mid: String, role: SessionRole, bundled: Bool)
        throws(NegotiationError) -> CheckedSection
    {
        guard section.proto.uppercased().contains("SAVP") else {
            throw NegotiationError(.unacceptable, "mid \(mid): protocol \(section.proto) is not DTLS-SRTP (UDP/TLS/RTP/SAVPF)")
        }
        guard bundled else {
            throw NegotiationError(.unacceptable, "mid \(mid) is not in the BUNDLE group; Tessera serves every section on one port")
        }
        guard section.isRTCPMux else {
            throw NegotiationError(.unacceptable, "mid \(mid): a=rtcp-mux is required (RFC 8858)")
        }
        guard let credentials = offer.iceCredentials(for: section) else {
            throw NegotiationError(.unacceptable, "mid \(mid): a=ice-ufrag and a=ice-pwd are required")
        }
        // Prefer sha-256 when the offer lists several (aiortc sends sha-256, -384 and -512).
        let listed = (section.attributes + offer.attributes).compactMap { attribute -> SDPFingerprint? in
            if case .fingerprint(let value) = attribute { value } else { nil }
        }
        guard let fingerprint = listed.first(where: { $0.hashFunction == "sha-256" }) ?? offer.fingerprint(for: section) else {
            throw NegotiationError(.unacceptable, "mid \(mid): a=fingerprint is required for DTLS-SRTP")
        }
        guard ["sha-256", "sha-384", "sha-512", "sha-1", "sha-224"].contains(fingerprint.hashFunction) else {
            throw NegotiationError(.unacceptable, "mid \(mid): fingerprint hash \(fingerprint.hashFunction) is not supported")
        }
        switch offer.setup(for: section) {
        case .actpass?, .active?, nil: break
        case let other?:
            throw NegotiationError(.unacceptable, "mid \(mid): a=setup:\(other.rawValue) — the client must be the DTLS client (actpass or active)")
        }
        return CheckedSection(ice: ICECredentials(ufrag: credentials.ufrag, password: credentials.pwd), fingerprint: fingerprint)
    }

    /// Chooses codec, direction, extensions and feedback for one section.
    private func negotiate(_ section: MediaDescription, mid: String, role: SessionRole) throws(NegotiationError) -> NegotiatedMedia {
        let direction = section.direction ?? .sendrecv
        let receives: Bool
        let sends: Bool
        switch role {
        case .publisher:
            guard direction.sends else {
                throw NegotiationError(.unacceptable, "mid \(mid): a WHIP offer sends media (sendrecv or sendonly), got \(direction.rawValue)")
            }
            receives = true
            sends = direction.receives
        case .viewer:
            guard direction.receives else {
                throw NegotiationError(.unacceptable, "mid \(mid): a WHEP offer receives media (recvonly), got \(direction.rawValue)")
            }
            receives = false
            sends = true
        }
        let kind: NegotiatedMedia.Kind = section.kind == .audio ? .audio : .video
        let codecs = section.codecs
        guard let codec = Self.preferredCodec(kind, in: codecs) else {
            let offered = Set(codecs.map { $0.name.uppercased() }).sorted().joined(separator: ", ")
            let accepted = kind == .audio ? "Opus" : "VP8 or H.264"
            throw NegotiationError(.unacceptable, "mid \(mid): no supported \(kind.rawValue) codec (offered: \(offered); Tessera accepts \(accepted))")
        }
        let rtx = kind == .video
            ? codecs.first { $0.hasName("rtx") && $0.associatedPayloadType == codec.payloadType }?.payloadType : nil
        var extensions = HeaderExtensionMap()
        for extmap in section.extmaps where Self.supportedExtensions.contains(extmap.uri) && extmap.id >= 1 && extmap.id <= 14 {
            try? extensions.register(id: UInt8(extmap.id), uri: extmap.uri)
        }
        let feedback = Self.supportedFeedback.compactMap { type, parameter -> SDPRTCPFeedback? in
            codec.feedback.contains { $0.type == type && $0.parameter == parameter }
                ? SDPRTCPFeedback(payloadType: codec.payloadType, type: type, parameter: parameter) : nil
        }
        return NegotiatedMedia(
            mid: mid, kind: kind, receives: receives, sends: sends, codec: codec, rtxPayloadType: rtx,
            remoteSSRCs: section.ssrcs, localSSRC: UInt32.random(in: 1...UInt32.max),
            localRTXSSRC: sends && rtx != nil ? UInt32.random(in: 1...UInt32.max) : nil,
            extensions: extensions, feedback: feedback)
    }

    /// Opus for audio; VP8, else H.264 packetization-mode 1, else H.264 mode 0, for video.
    static func preferredCodec(_ kind: NegotiatedMedia.Kind, in codecs: [RTPCodec]) -> RTPCodec? {
        switch kind {
        case .audio:
            return codecs.first { $0.hasName("opus") && $0.clockRate == 48_000 }
        case .video:
            if let vp8 = codecs.first(where: { $0.hasName("VP8") && $0.clockRate == 90_000 }) { return vp8 }
            let h264 = codecs.filter { $0.hasName("H264") && $0.clockRate == 90_000 }
            return h264.first { $0.parameter("packetization-mode") == "1" } ?? h264.first {
                ($0.parameter("packetization-mode") ?? "0") == "0"
            }
        }
    }

    private func answerSection(for media: NegotiatedMedia, offered: MediaDescription, localICE: ICECredentials) -> MediaDescription {
        var section = MediaDescription(
            kind: offered.kind, port: candidatePort, proto: "UDP/TLS/RTP/SAVPF",
            connection: SDPConnection(address: candidateAddress))
        section.attributes.append(.mid(media.mid))
        let direction: SDPDirection =
            switch (media.receives, media.sends) {
            case (true, true): .sendrecv
            case (true, false): .recvonly
            case (false, true): .sendonly
            case (false, false): .inactive
            }
        section.attributes.append(.direction(direction))
        section.attributes.append(.iceUfrag(localICE.ufrag))
        section.attributes.append(.icePwd(localICE.password))
        section.attributes.append(.fingerprint(fingerprint))
        section.attributes.append(.setup(.passive))
        section.attributes.append(.rtcpMux)
        if offered.isRTCPReducedSize { section.attributes.append(.rtcpReducedSize) }
        var codec = media.codec
        codec.feedback = media.feedback
        section.addCodec(codec)
        if let rtx = media.rtxPayloadType {
            section.addCodec(RTPCodec(
                payloadType: rtx, name: "rtx", clockRate: 90_000,
                parameters: [SDPFormatParameter("apt", "\(media.codec.payloadType)")]))
        }
        for entry in media.extensions.entries {
            section.attributes.append(.extmap(SDPExtmap(id: UInt16(entry.id), uri: entry.uri)))
        }
        if media.sends {
            let streamID = "tessera-\(media.kind.rawValue)"
            section.attributes.append(.msid(SDPMediaStreamID(streamID: "tessera", trackID: streamID)))
            if let rtxSSRC = media.localRTXSSRC {
                section.attributes.append(.ssrcGroup(SDPSSRCGroup(semantics: "FID", ssrcs: [media.localSSRC, rtxSSRC])))
            }
            for ssrc in [media.localSSRC] + (media.localRTXSSRC.map { [$0] } ?? []) {
                section.attributes.append(.ssrc(SDPSSRCAttribute(ssrc: ssrc, name: "cname", value: cname)))
                section.attributes.append(.ssrc(SDPSSRCAttribute(ssrc: ssrc, name: "msid", value: "tessera \(streamID)")))
            }
        }
        let priority = ICECandidate.priority(typePreference: 126, localPreference: 65535, component: 1)
        section.attributes.append(.candidate(ICECandidate(
            foundation: "1", priority: priority, address: candidateAddress, port: candidatePort, type: .host)))
        section.attributes.append(.endOfCandidates)
        return section
    }

    /// A section we do not serve (data channels, extra sections): port 0, same format list.
    private func rejected(_ section: MediaDescription, mid: String) -> MediaDescription {
        var answer = MediaDescription(kind: section.kind, port: 0, proto: section.proto, formats: section.formats)
        answer.attributes = [.mid(mid), .direction(.inactive)]
        return answer
    }
}
