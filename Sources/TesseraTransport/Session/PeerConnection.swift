import Foundation
package import Logging
import NIOCore
package import TesseraWire

/// The packet-path state of one peer: ICE-lite, DTLS, SRTP, inbound streams (reorder,
/// NACK, depacketize) and outbound streams (packetize, history, SR), RTCP both ways.
/// Lives on the media port's event loop only; every method returns what to send instead
/// of sending, so the port owns all I/O. Package-visible for `tessera-bench transport`,
/// which drives the packet path without sockets.
package final class PeerConnection {
    let id: String
    let negotiation: Negotiation
    private(set) var ice: ICELiteAgent
    private let dtls: DTLSEndpoint
    private(set) var srtp: SRTPSession?
    let startedAt: Duration
    private(set) var closed = false
    let events: AsyncStream<PeerSessionEvent>.Continuation
    let frames: AsyncStream<InboundFrame>.Continuation
    let closeSignal: CloseSignal
    private var inbound: [UInt32: InboundStream] = [:]
    private var outbound: [NegotiatedMedia.Kind: OutboundStream] = [:]
    private var keyframeThrottle: KeyframeRequestThrottle?
    private var bandwidth = BandwidthEstimate()
    private var lastReportedBandwidth: UInt64 = 0
    private var reports: RTCPReportScheduler
    /// transport-cc (draft-holmer-rmcat-transport-wide-cc-extensions-01): numbers for what
    /// we send, feedback for what we receive.
    private var transportSequence = TransportSequenceRecorder()
    private var transportFeedback: TWCCFeedbackGenerator?
    private var lastPLISent: MediaTime?
    /// Where frames go once the reader asked for direct delivery (`deliverFrames(to:)`):
    /// called on the event loop, instead of a hop through `frames` per frame.
    private var frameSink: (@Sendable (InboundFrame) -> Void)?
    var logger: Logger

    /// Bound on distinct inbound SSRCs kept per session (a hostile peer cannot grow it).
    static let maxInboundStreams = 8
    /// At most one PLI of ours per this interval per session.
    static let pliInterval: Duration = .milliseconds(500)

    package init(
        id: String, negotiation: Negotiation, certificate: DTLSCertificate, now: Duration,
        events: AsyncStream<PeerSessionEvent>.Continuation, frames: AsyncStream<InboundFrame>.Continuation,
        closeSignal: CloseSignal, logger: Logger
    ) throws(DTLSError) {
        self.id = id
        self.negotiation = negotiation
        ice = ICELiteAgent(local: negotiation.localICE, remote: negotiation.remoteICE)
        let expected = try DTLSFingerprint(
            sdpValue: "\(negotiation.remoteFingerprint.hashFunction) \(negotiation.remoteFingerprint.hexString)")
        dtls = try DTLSEndpoint(role: .server, certificate: certificate, expectedPeerFingerprint: expected)
        startedAt = now
        self.events = events
        self.frames = frames
        self.closeSignal = closeSignal
        self.logger = logger
        for media in negotiation.media where media.sends { outbound[media.kind] = OutboundStream(media: media) }
        if let video = negotiation.media.first(where: { $0.kind == .video && $0.sends }) {
            keyframeThrottle = KeyframeRequestThrottle(mediaSSRC: video.localSSRC)
        }
        let reporter = negotiation.media.first?.localSSRC ?? UInt32.random(in: 1...UInt32.max)
        var configuration = RTCPReportScheduler.Configuration(localSSRC: reporter, cname: "tessera")
        configuration.reducedSize = negotiation.reducedSizeRTCP
        reports = RTCPReportScheduler(configuration: configuration, now: MediaTime(now))
    }

    /// What handling a datagram or a timer asks the port to do.
    package struct Reply {
        /// Plaintext datagrams to send as they are (STUN, DTLS) or already protected.
        package var datagrams: [[UInt8]] = []
        /// An address that passed an ICE check and now routes to this session.
        package var validatedAddress: STUNTransportAddress?
        package var close: CloseReason?
    }

    // MARK: ICE and DTLS

    func handleSTUN(_ message: STUNMessage, from address: STUNTransportAddress, now: Duration, counters: inout TransportCounters)
        -> Reply
    {
        var reply = Reply()
        switch ice.handle(message, from: address, now: now) {
        case .respond(let response, let selectedChanged):
            reply.datagrams.append(response)
            reply.validatedAddress = address
            if selectedChanged {
                logger.debug("ICE selected pair", metadata: ["remote": "\(address)", "nominated": "\(ice.nominated)"])
            }
        case .reject(let response, let reason):
            reply.datagrams.append(response)
            counters.drop(.stunRejected)
            logger.debug("ICE check rejected", metadata: ["reason": "\(reason)", "remote": "\(address)"])
        case .drop:
            break
        }
        return reply
    }

    package func handleDTLS(_ datagram: [UInt8], counters: inout TransportCounters) -> Reply {
        var reply = Reply()
        let output = dtls.receive(datagram)
        reply.datagrams = output.datagrams
        switch output.event {
        case .connected(let connection):
            do {
                let session = try SRTPSession.forDTLS(connection)
                srtp = session
                logger.info("peer connected", metadata: ["srtp": "\(session.profile)"])
                events.yield(.connected)
            } catch {
                logger.error("SRTP setup failed", metadata: ["error": "\(error)", "profile": "\(connection.srtpProfileID)"])
                reply.close = .dtlsFailed
            }
        case .failed(let error):
            logger.warning("DTLS failed", metadata: ["error": "\(error)"])
            reply.close = .dtlsFailed
        case .closed:
            reply.close = .left
        case .none:
            break
        }
        return reply
    }

    // MARK: Inbound media

    /// Decrypts one RTP packet, reorders and depacketizes it, and hands finished frames up.
    package func handleRTP(_ datagram: inout [UInt8], now: Duration, counters: inout TransportCounters) {
        guard let srtp else { return counters.drop(.notConnected) }
        do {
            try srtp.unprotectRTP(&datagram)
        } catch {
            return counters.drop(.srtpFailed)
        }
        guard var packet = try? RTPPacket(parsing: datagram) else { return counters.drop(.malformedRTP) }
        counters.rtpDecrypted += 1
        if let original = unwrapRTX(packet) {
            counters.retransmissionsIn += 1
            packet = original
        }
        let ssrc = packet.header.ssrc
        if inbound[ssrc] == nil {
            guard inbound.count < Self.maxInboundStreams,
                let media = negotiation.media.first(where: { $0.receives && $0.codec.payloadType == packet.header.payloadType }),
                let stream = InboundStream(ssrc: ssrc, media: media, localSSRC: media.localSSRC)
            else { return counters.drop(.malformedRTP) }
            inbound[ssrc] = stream
        }
        if let media = inbound[ssrc]?.media, media.usesFeedback("transport-cc") {
            if transportFeedback == nil {
                transportFeedback = TWCCFeedbackGenerator(senderSSRC: reports.configuration.localSSRC, mediaSSRC: ssrc)
            }
            _ = transportFeedback?.packetReceived(packet.header, extensionMap: media.extensions, at: MediaTime(now))
        }
        guard let produced = inbound[ssrc]?.receive(packet, arrival: now) else { return }
        deliver(produced, counters: &counters)
    }

    /// An RTX packet (RFC 4588 §4) as the original: OSN from the first two payload bytes,
    /// the SSRC of the stream it repairs. Nil when `packet` is not RTX.
    private func unwrapRTX(_ packet: RTPPacket) -> RTPPacket? {
        guard let media = negotiation.media.first(where: { $0.rtxPayloadType == packet.header.payloadType }),
            packet.payload.count > 2
        else { return nil }
        let payload = Array(packet.payload)
        let original = UInt16(payload[0]) << 8 | UInt16(payload[1])
        let target = inbound.values.first { $0.media.mid == media.mid }?.ssrc ?? media.remoteSSRCs.first ?? packet.header.ssrc
        var header = packet.header
        header.ssrc = target
        header.sequenceNumber = original
        header.payloadType = media.codec.payloadType
        return RTPPacket(header: header, payload: Array(payload[2...]))
    }

    private func deliver(_ produced: [InboundFrame], counters: inout TransportCounters) {
        for frame in produced {
            counters.framesIn += 1
            if let frameSink { frameSink(frame) } else { frames.yield(frame) }
        }
    }

    /// From now on hands each frame to `sink` on the event loop, and ends `frames` (its
    /// reader still gets what was queued before). Ignored once closed.
    package func deliverFrames(to sink: @escaping @Sendable (InboundFrame) -> Void) {
        guard !closed else { return }
        frameSink = sink
        frames.finish()
    }

    package func handleRTCP(_ datagram: inout [UInt8], now: Duration, counters: inout TransportCounters) -> Reply {
        var reply = Reply()
        guard let srtp else {
            counters.drop(.notConnected)
            return reply
        }
        do {
            try srtp.unprotectRTCP(&datagram)
        } catch {
            counters.drop(.srtpFailed)
            return reply
        }
        guard let compound = try? RTCPCompoundPacket(parsing: datagram) else {
            counters.drop(.malformedRTCP)
            return reply
        }
        counters.rtcpDecrypted += 1
        let time = MediaTime(now)
        for packet in compound.packets {
            switch packet {
            case .senderReport(let report):
                inbound[report.ssrc]?.statistics.senderReportReceived(report, at: time)
                events.yield(.senderReport(ssrc: report.ssrc, ntp: NTPTime(rawValue: report.ntpTimestamp), rtpTimestamp: report.rtpTimestamp))
            case .genericNACK(let nack):
                counters.nacksIn += 1
                for kind in [NegotiatedMedia.Kind.video, .audio] where outbound[kind]?.ssrc == nack.mediaSSRC {
                    for packet in outbound[kind]?.retransmissions(for: nack, now: time) ?? [] {
                        if let protected = protect(packet) {
                            reply.datagrams.append(protected)
                            counters.retransmissionsOut += 1
                        }
                    }
                }
            case .pictureLossIndication(let pli):
                counters.keyframeRequestsIn += 1
                if keyframeThrottle?.pictureLossIndication(pli, now: time) == true { events.yield(.keyframeRequested) }
            case .fullIntraRequest(let fir):
                counters.keyframeRequestsIn += 1
                if keyframeThrottle?.fullIntraRequest(fir, now: time) == true { events.yield(.keyframeRequested) }
            case .remb(let remb):
                bandwidth.receivedREMB(remb, now: time)
                reportBandwidth()
            case .transportWideFeedback(let feedback):
                _ = bandwidth.receivedTransportFeedback(feedback, recorder: &transportSequence, now: time)
                reportBandwidth()
            default:
                break
            }
        }
        return reply
    }

    private func reportBandwidth() {
        guard let estimate = bandwidth.estimatedBitrate else { return }
        let change = estimate > lastReportedBandwidth ? estimate - lastReportedBandwidth : lastReportedBandwidth - estimate
        guard lastReportedBandwidth == 0 || change * 10 > lastReportedBandwidth else { return }
        lastReportedBandwidth = estimate
        events.yield(.bandwidthEstimate(estimate))
    }

    // MARK: Outbound media

    /// Packetizes and encrypts a frame for this peer; empty before DTLS completed or when
    /// the peer does not receive this kind.
    package func send(_ frame: OutboundFrame, now: Duration, counters: inout TransportCounters) -> [[UInt8]] {
        guard srtp != nil, outbound[frame.kind] != nil else { return [] }
        // In place: a copy taken out of the dictionary would share the send history's ring
        // with the stored stream, and storing into it would copy the whole ring per packet.
        let packets = (try? outbound[frame.kind]?.packetize(frame, now: MediaTime(now), transportSequence: &transportSequence)) ?? []
        counters.rtpOut += packets.count
        return packets.compactMap(protect)
    }

    /// Encrypts a plaintext RTP packet; nil before DTLS completed.
    func protect(_ packet: [UInt8]) -> [UInt8]? {
        guard let srtp else { return nil }
        var buffer = packet
        buffer.reserveCapacity(packet.count + SRTPSession.trailerCapacity)
        return (try? srtp.protectRTP(&buffer)).map { buffer }
    }

    private func protectRTCP(_ packet: [UInt8]) -> [UInt8]? {
        guard let srtp else { return nil }
        var buffer = packet
        buffer.reserveCapacity(packet.count + SRTPSession.trailerCapacity)
        return (try? srtp.protectRTCP(&buffer)).map { buffer }
    }

    /// Current ICE credentials (they change on an ICE restart).
    var localICE: ICECredentials { ice.local }
    var remoteICE: ICECredentials { ice.remote }

    /// ICE restart: fresh local credentials for the peer's new ones.
    func restartICE(remote: ICECredentials, now: Duration) -> ICECredentials {
        let local = ICECredentials.random()
        ice = ice.restarted(local: local, remote: remote, now: now)
        logger.info("ICE restarted", metadata: ["ufrag": "\(local.ufrag)"])
        return local
    }

    // MARK: Timers

    /// DTLS retransmission, consent, reorder timeouts, NACK/PLI and regular reports.
    package func tick(now: Duration, counters: inout TransportCounters) -> Reply {
        var reply = Reply()
        if dtls.nextTimeout().map({ $0 <= .zero }) == true {
            reply.datagrams = dtls.handleTimeout()
        }
        if ice.consentExpired(now: now, since: startedAt) {
            reply.close = .timeout
            return reply
        }
        if case .failed = dtls.state {
            reply.close = .dtlsFailed
            return reply
        }
        guard srtp != nil else { return reply }
        let time = MediaTime(now)
        var feedback: [RTCPPacket] = []
        for ssrc in Array(inbound.keys) {
            // Polled in place (see `send`): a copy would duplicate the stream's buffers.
            guard let polled = inbound[ssrc]?.poll(arrival: now) else { continue }
            deliver(polled.frames, counters: &counters)
            if let nack = polled.nack {
                feedback.append(.genericNACK(nack))
                counters.nacksOut += 1
            }
            if inbound[ssrc]?.keyframeNeeded == true, lastPLISent.map({ time - $0 >= Self.pliInterval }) ?? true {
                feedback.append(.pictureLossIndication(PictureLossIndication(senderSSRC: reports.configuration.localSSRC, mediaSSRC: ssrc)))
                inbound[ssrc]?.keyframeNeeded = false
                lastPLISent = time
                counters.keyframeRequestsOut += 1
            }
        }
        if let twcc = transportFeedback?.poll(now: time) { feedback += twcc.map(RTCPPacket.transportWideFeedback) }
        if reports.isReportDue(now: time) {
            var blocks: [ReportBlock] = []
            for ssrc in Array(inbound.keys) {
                if let block = inbound[ssrc]?.statistics.makeReportBlock(now: time) { blocks.append(block) }
            }
            let ntp = NTPTime(Date())
            let senderReports = outbound.values.compactMap { $0.senderReport(ntp: ntp, now: time, reportBlocks: []) }
            if let protected = protectRTCP(reports.makeReport(now: time, senderReports: senderReports, reportBlocks: blocks, feedback: feedback)) {
                reply.datagrams.append(protected)
            }
        } else if !feedback.isEmpty, let protected = protectRTCP(reports.makeFeedback(now: time, feedback: feedback)) {
            reply.datagrams.append(protected)
        }
        return reply
    }

    /// Ends the session: the DTLS close_notify to send, and the final event.
    func close(_ reason: CloseReason) -> [[UInt8]] {
        guard !closed else { return [] }
        closed = true
        let goodbye = srtp != nil ? dtls.close() : []
        events.yield(.closed(reason))
        events.finish()
        frames.finish()
        frameSink = nil
        closeSignal.fire(reason)
        logger.info("peer session closed", metadata: ["reason": "\(reason.rawValue)"])
        return goodbye
    }

    /// Per-SSRC packets received so far (for stats and tests).
    /// The room needs a keyframe of this peer's video (its decoder failed or just started):
    /// the next tick sends a PLI for each inbound video stream, within the PLI throttle.
    func requestKeyframe() {
        for ssrc in Array(inbound.keys) where inbound[ssrc]?.media.kind == .video {
            inbound[ssrc]?.keyframeNeeded = true
        }
    }

    var packetsReceivedBySSRC: [UInt32: Int64] { inbound.mapValues(\.statistics.packetsReceived) }
}
