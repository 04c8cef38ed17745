import TesseraWire

/// What we send a peer in one media section: our SSRC with its own sequence numbers,
/// packetization, a send history for NACK (RFC 4585) with RTX when negotiated (RFC 4588),
/// and sender statistics for SRs.
struct OutboundStream {
    let media: NegotiatedMedia
    var ssrc: UInt32 { media.localSSRC }
    private var sequenceNumber = UInt16.random(in: 0...UInt16.max)
    private(set) var history = SendHistory()
    private(set) var statistics: SenderStatistics
    private var responder: NACKResponder
    private var vp8 = VP8Packetizer()
    private let h264 = H264Packetizer()
    /// The last RTP timestamp sent and the instant it stands for (for the SR's NTP/RTP pair).
    private(set) var lastTimestamp: (rtp: UInt32, at: MediaTime)?

    init(media: NegotiatedMedia) {
        self.media = media
        statistics = SenderStatistics(ssrc: media.localSSRC)
        var configuration = NACKResponder.Configuration()
        if let rtxPayloadType = media.rtxPayloadType, let rtxSSRC = media.localRTXSSRC {
            configuration.rtx = NACKResponder.RTX(ssrc: rtxSSRC, payloadType: rtxPayloadType, associatedPayloadType: media.codec.payloadType)
        }
        responder = NACKResponder(configuration: configuration)
    }

    /// The transport-wide-cc extension id when the peer gives transport-cc feedback.
    private var transportCCExtensionID: UInt8? {
        media.usesFeedback("transport-cc") ? media.extensions.id(for: HeaderExtensionURI.transportWideCC) : nil
    }

    /// The plaintext RTP packets of one frame, stored for retransmission. Each packet gets
    /// a transport-wide sequence number from `transportSequence` when transport-cc is used.
    mutating func packetize(_ frame: OutboundFrame, now: MediaTime, transportSequence: inout TransportSequenceRecorder)
        throws(WireError) -> [[UInt8]]
    {
        let payloads: [[UInt8]]
        switch media.codec.name.lowercased() {
        case "opus": payloads = [frame.data]
        case "vp8": payloads = try vp8.packetize(frame.data)
        case "h264": payloads = try h264.packetize(accessUnit: frame.data)
        default: throw WireError(.unsupported, "codec \(media.codec.name)")
        }
        var packets: [[UInt8]] = []
        packets.reserveCapacity(payloads.count)
        for (index, payload) in payloads.enumerated() {
            var extensionHeader: RTPHeaderExtension?
            if let id = transportCCExtensionID {
                let number = transportSequence.assign(size: RTPHeader.fixedSize + payload.count, at: now)
                extensionHeader = try RTPHeaderExtension(
                    elements: [(id, TransportSequenceNumberExtension(sequenceNumber: number).encoded)])
            }
            let header = RTPHeader(
                marker: media.kind == .video ? index == payloads.count - 1 : false,
                payloadType: media.codec.payloadType, sequenceNumber: sequenceNumber, timestamp: frame.rtpTimestamp,
                ssrc: ssrc, csrcs: Array(frame.contributingSources.prefix(RTPHeader.maxCSRCCount).map(\.csrc)),
                headerExtension: extensionHeader)
            var bytes: [UInt8] = []
            bytes.reserveCapacity(RTPHeader.fixedSize + payload.count + SRTPSession.trailerCapacity)
            RTPPacket(header: header, payload: payload).serialize(into: &bytes)
            history.store(bytes, sequenceNumber: sequenceNumber, at: now)
            statistics.packetSent(payloadLength: payload.count, at: now)
            sequenceNumber &+= 1
            packets.append(bytes)
        }
        lastTimestamp = (frame.rtpTimestamp, frame.captureTime.map { MediaTime($0) } ?? now)
        return packets
    }

    /// Packets to resend for a NACK of our SSRC (RTX-wrapped when negotiated).
    mutating func retransmissions(for nack: GenericNACK, now: MediaTime) -> [[UInt8]] {
        responder.respond(to: nack, history: history, now: now).map(\.bytes)
    }

    /// Our SR, mapping `ntp` (now) to the RTP timestamp it corresponds to.
    func senderReport(ntp: NTPTime, now: MediaTime, reportBlocks: [ReportBlock]) -> SenderReport? {
        guard let last = lastTimestamp, statistics.isSender(now: now) else { return nil }
        let elapsed = Double((now - last.at) / .microseconds(1)) / 1_000_000
        let rtp = last.rtp &+ UInt32(truncatingIfNeeded: Int64(elapsed * Double(media.codec.clockRate)))
        return statistics.makeSenderReport(ntpTime: ntp, rtpTimestamp: rtp, reportBlocks: reportBlocks)
    }
}
