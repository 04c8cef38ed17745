import Logging
import NIOCore
import TesseraWire

/// The packet-path state of one peer: ICE-lite, DTLS, SRTP and per-stream statistics.
/// Lives on the media port's event loop only; every method returns what to send instead
/// of sending, so the port owns all I/O.
final class PeerConnection {
    let id: String
    let negotiation: Negotiation
    private(set) var ice: ICELiteAgent
    private let dtls: DTLSEndpoint
    private(set) var srtp: SRTPSession?
    let startedAt: Duration
    private(set) var closed = false
    let events: AsyncStream<PeerSessionEvent>.Continuation
    private var inboundStatistics: [UInt32: ReceiveStatistics] = [:]
    var logger: Logger

    /// Bound on distinct inbound SSRCs kept per session (a hostile peer cannot grow it).
    static let maxInboundStreams = 16

    init(
        id: String, negotiation: Negotiation, certificate: DTLSCertificate, now: Duration,
        events: AsyncStream<PeerSessionEvent>.Continuation, logger: Logger
    ) throws(DTLSError) {
        self.id = id
        self.negotiation = negotiation
        ice = ICELiteAgent(local: negotiation.localICE, remote: negotiation.remoteICE)
        let expected = try DTLSFingerprint(
            sdpValue: "\(negotiation.remoteFingerprint.hashFunction) \(negotiation.remoteFingerprint.hexString)")
        dtls = try DTLSEndpoint(role: .server, certificate: certificate, expectedPeerFingerprint: expected)
        startedAt = now
        self.events = events
        self.logger = logger
    }

    /// What handling a datagram asks the port to do.
    struct Reply {
        var datagrams: [[UInt8]] = []
        /// Addresses that passed an ICE check and now route to this session.
        var validatedAddress: STUNTransportAddress?
        var close: CloseReason?
    }

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

    func handleDTLS(_ datagram: [UInt8], counters: inout TransportCounters) -> Reply {
        var reply = Reply()
        let output = dtls.receive(datagram)
        reply.datagrams = output.datagrams
        switch output.event {
        case .connected(let connection):
            guard let profile = SRTPProfile(protectionProfileID: connection.srtpProfileID) else {
                logger.warning("DTLS chose an SRTP profile we cannot use", metadata: ["profile": "\(connection.srtpProfileID)"])
                reply.close = .dtlsFailed
                return reply
            }
            do {
                srtp = try SRTPSession.forDTLS(role: .server, profile: profile, keyingMaterial: connection.keyingMaterial)
                logger.info("peer connected", metadata: ["srtp": "\(profile)"])
                events.yield(.connected)
            } catch {
                logger.error("SRTP setup failed", metadata: ["error": "\(error)"])
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

    /// Decrypts and parses one RTP packet; counts it. The payload goes to the media layer
    /// in the next step (depacketizers and jitter buffers).
    func handleRTP(_ datagram: inout [UInt8], now: Duration, counters: inout TransportCounters) {
        guard let srtp else { return counters.drop(.notConnected) }
        do {
            try srtp.unprotectRTP(&datagram)
        } catch {
            return counters.drop(.srtpFailed)
        }
        guard let packet = try? RTPPacket(parsing: datagram) else { return counters.drop(.malformedRTP) }
        counters.rtpDecrypted += 1
        let ssrc = packet.header.ssrc
        if inboundStatistics[ssrc] == nil {
            guard inboundStatistics.count < Self.maxInboundStreams else { return }
            let clockRate = negotiation.media.first { $0.codec.payloadType == packet.header.payloadType }.map { Int($0.codec.clockRate) } ?? 90_000
            inboundStatistics[ssrc] = ReceiveStatistics(ssrc: ssrc, clockRate: clockRate)
        }
        _ = inboundStatistics[ssrc]?.packetReceived(packet.header, at: MediaTime(microseconds: Int64(now / .microseconds(1))))
    }

    func handleRTCP(_ datagram: inout [UInt8], now: Duration, counters: inout TransportCounters) {
        guard let srtp else { return counters.drop(.notConnected) }
        do {
            try srtp.unprotectRTCP(&datagram)
        } catch {
            return counters.drop(.srtpFailed)
        }
        guard let compound = try? RTCPCompoundPacket(parsing: datagram) else { return counters.drop(.malformedRTCP) }
        counters.rtcpDecrypted += 1
        for case .senderReport(let report) in compound.packets {
            inboundStatistics[report.ssrc]?.senderReportReceived(report, at: MediaTime(microseconds: Int64(now / .microseconds(1))))
        }
    }

    /// Encrypts a plaintext RTP packet for sending; nil before DTLS completed.
    func protectRTP(_ packet: [UInt8]) -> [UInt8]? {
        guard let srtp else { return nil }
        var buffer = packet
        buffer.reserveCapacity(packet.count + SRTPSession.trailerCapacity)
        return (try? srtp.protectRTP(&buffer)).map { buffer }
    }

    /// Retransmission timers and consent; returns datagrams to send and whether to close.
    func tick(now: Duration) -> Reply {
        var reply = Reply()
        if dtls.nextTimeout().map({ $0 <= .zero }) == true {
            reply.datagrams = dtls.handleTimeout()
        }
        if ice.consentExpired(now: now, since: startedAt) {
            reply.close = .timeout
        } else if case .failed = dtls.state {
            reply.close = .dtlsFailed
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
        logger.info("peer session closed", metadata: ["reason": "\(reason.rawValue)"])
        return goodbye
    }

    /// Per-SSRC packets received so far (for stats and tests).
    var packetsReceivedBySSRC: [UInt32: Int64] { inboundStatistics.mapValues(\.packetsReceived) }
}
