import Foundation
import NIOCore
import TesseraMixer
import TesseraTransport
import TesseraWire

/// One load participant: a WebRTC peer on its own UDP socket that offers sendrecv Opus and
/// VP8, checks the server's candidate as the controlling ICE agent, runs the DTLS client
/// handshake and then sends its input's pre-encoded packets as SRTP at their media time,
/// looping the file, with an RTCP sender report per stream each second. What the server
/// sends back is authenticated (SRTP) and counted, not decoded: every Opus packet, and
/// every VP8 frame that arrived whole. Lives on its channel's event loop.
final class LoadParticipant {
    /// How the connection ended up, reported once: nil when connected, else why not.
    typealias Connected = (String?) -> Void

    static let checkInterval: TimeAmount = .milliseconds(50)
    static let checkAttempts = 200
    static let consentInterval: TimeAmount = .seconds(5)
    static let reportInterval: TimeAmount = .seconds(1)
    /// A packet sent later than this after its media time counts as late.
    static let lateSeconds = 0.010

    let id: String
    let channel: any Channel
    private let inputs: BenchInputs.Participant
    private let certificate: DTLSCertificate
    private let local = ICECredentials.random()
    private var audio: Outbound
    private var video: Outbound
    private let tieBreaker = UInt64.random(in: 0...UInt64.max)
    private var connected: Connected?

    private var server: SocketAddress?
    private var remote: ICECredentials?
    private var serverFingerprint: DTLSFingerprint?
    /// Payload types of the server's Opus and VP8 (not RTX).
    private var audioPayloadTypes: Set<UInt8> = []
    private var videoPayloadTypes: Set<UInt8> = []
    private var pendingCheck: STUNTransactionID?
    private var checksSent = 0
    private var dtls: DTLSEndpoint?
    private var srtp: SRTPSession?
    private var mediaStart: Double?
    private var closed = false

    private(set) var videoArrivals = LoadArrivals()
    private(set) var audioArrivals = LoadArrivals()
    private var frames = LoadFrameCounter()
    /// (monotonic time, seconds late) of each packet sent late.
    private(set) var late: [(at: Double, lag: Double)] = []
    private(set) var srtpFailures = 0

    /// One outbound stream: its packets, sequence and counts for sender reports.
    private struct Outbound {
        let ssrc: UInt32
        let payloadType: UInt8
        let clockRate: Double
        let timestampOffset = UInt32.random(in: 0...UInt32.max)
        var cursor: PacketCursor
        var sequence = UInt16.random(in: 0...UInt16.max)
        var packets: UInt32 = 0
        var octets: UInt32 = 0

        func timestamp(at time: Double) -> UInt32 { timestampOffset &+ UInt32(truncatingIfNeeded: Int64(time * clockRate)) }
    }

    init(id: String, channel: any Channel, inputs: BenchInputs.Participant) throws {
        self.id = id
        self.channel = channel
        self.inputs = inputs
        certificate = try DTLSCertificate()
        audio = Outbound(
            ssrc: .random(in: 1...UInt32.max), payloadType: BenchOffer.audioPayloadType, clockRate: 48_000,
            cursor: PacketCursor(inputs.audio, period: inputs.period))
        video = Outbound(
            ssrc: .random(in: 1...UInt32.max), payloadType: BenchOffer.videoPayloadType, clockRate: 90_000,
            cursor: PacketCursor(inputs.video, period: inputs.period))
    }

    var offer: String {
        BenchOffer(
            credentials: local, fingerprint: certificate.fingerprint, audioSSRC: audio.ssrc, videoSSRC: video.ssrc,
            cname: id, candidatePort: channel.localAddress?.port
        ).sdp
    }

    var isConnected: Bool { srtp != nil }

    /// Takes the server's answer and starts connecting; `connected` hears how that ends.
    func answer(_ sdp: String, connected: @escaping Connected) throws {
        let description = try SessionDescription(parsing: sdp)
        guard let section = description.media.first, let credentials = description.iceCredentials(for: section),
            let fingerprint = description.fingerprint(for: section)
        else { throw BenchError("the answer has no media section with ICE credentials and a fingerprint") }
        guard let candidate = description.media.flatMap(\.candidates).first(where: { $0.transport.lowercased() == "udp" })
        else { throw BenchError("the answer has no UDP candidate") }
        server = try SocketAddress(ipAddress: candidate.address, port: Int(candidate.port))
        remote = ICECredentials(ufrag: credentials.ufrag, password: credentials.pwd)
        serverFingerprint = try DTLSFingerprint(sdpValue: "\(fingerprint.hashFunction) \(fingerprint.hexString)")
        for codec in description.media.flatMap(\.codecs) {
            if codec.hasName("opus") { audioPayloadTypes.insert(codec.payloadType) }
            if codec.hasName("VP8") { videoPayloadTypes.insert(codec.payloadType) }
        }
        self.connected = connected
        sendCheck()
    }

    func close() {
        closed = true
        if let dtls { send(dtls.close()) }
        channel.close(promise: nil)
    }

    // MARK: receiving

    func receive(_ datagram: inout [UInt8], from address: SocketAddress) {
        guard !closed, address == server else { return }
        switch PacketClass(datagram) {
        case .stun: receiveSTUN(datagram)
        case .dtls: receiveDTLS(datagram)
        case .rtp: receiveRTP(&datagram)
        case .rtcp, .unknown: break  // feedback is not acted on; nothing else is expected
        }
    }

    private func receiveSTUN(_ datagram: [UInt8]) {
        guard let message = try? STUNMessage(parsing: datagram), let remote, message.transactionID == pendingCheck,
            message.type == .bindingSuccessResponse, message.verifyMessageIntegrity(key: Array(remote.password.utf8))
        else { return }
        pendingCheck = nil
        guard dtls == nil, let serverFingerprint else { return }
        do {
            let endpoint = try DTLSEndpoint(role: .client, certificate: certificate, expectedPeerFingerprint: serverFingerprint)
            dtls = endpoint
            send(endpoint.start())
            scheduleDTLSTimeout()
            every(Self.consentInterval) { $0.sendCheck(retrying: false) }
        } catch {
            finish("DTLS setup failed: \(error)")
        }
    }

    private func receiveDTLS(_ datagram: [UInt8]) {
        guard let dtls else { return }
        let output = dtls.receive(datagram)
        send(output.datagrams)
        switch output.event {
        case .connected(let connection):
            do {
                srtp = try SRTPSession.forDTLS(connection)
            } catch {
                return finish("SRTP setup failed: \(error)")
            }
            mediaStart = monotonicSeconds()
            sendDue()
            every(Self.reportInterval) { $0.sendReports() }
            finish(nil)
        case .failed(let error): finish("DTLS failed: \(error)")
        case .closed, .none: break
        }
    }

    /// Authenticates and decrypts `packet` in place, then counts it.
    private func receiveRTP(_ packet: inout [UInt8]) {
        guard let srtp else { return }
        do {
            try srtp.unprotectRTP(&packet)
        } catch {
            srtpFailures += 1
            return
        }
        guard let header = try? RTPHeader(parsing: packet) else { return }
        if audioPayloadTypes.contains(header.payloadType) {
            audioArrivals.record(monotonicSeconds())
        } else if videoPayloadTypes.contains(header.payloadType),
            frames.add(sequenceNumber: header.sequenceNumber, marker: header.marker)
        {
            videoArrivals.record(monotonicSeconds())
        }
    }

    // MARK: sending

    /// A binding request to the server's candidate, nominating it; retried until answered
    /// while connecting, sent once as a consent check afterwards.
    private func sendCheck(retrying: Bool = true) {
        guard let remote, !closed else { return }
        if retrying {
            guard pendingCheck != nil || dtls == nil else { return }
            checksSent += 1
            guard checksSent <= Self.checkAttempts else { return finish("no answer to \(Self.checkAttempts) ICE checks") }
        }
        let request = STUNMessage(
            type: .bindingRequest,
            attributes: [
                .username("\(remote.ufrag):\(local.ufrag)"), .priority(2_130_706_431), .iceControlling(tieBreaker), .useCandidate,
            ])
        pendingCheck = request.transactionID
        send([request.serialized(integrityKey: Array(remote.password.utf8), fingerprint: true)])
        if retrying { after(Self.checkInterval) { $0.sendCheck() } }
    }

    private func scheduleDTLSTimeout() {
        guard let dtls, let timeout = dtls.nextTimeout() else { return }
        after(.nanoseconds(Int64(timeout.seconds * 1e9))) { participant in
            guard let dtls = participant.dtls, !participant.isConnected else { return }
            participant.send(dtls.handleTimeout())
            if case .failed(let error) = dtls.state { return participant.finish("DTLS handshake failed: \(error)") }
            participant.scheduleDTLSTimeout()
        }
    }

    /// Sends every packet due by now, then sleeps until the next one is.
    private func sendDue() {
        guard let srtp, let mediaStart, !closed else { return }
        let now = monotonicSeconds()
        let elapsed = Duration.nanoseconds(Int64((now - mediaStart) * 1e9))
        var datagrams: [[UInt8]] = []
        do {
            while let (packet, time) = audio.cursor.next(dueBy: elapsed) {
                note(lag: (elapsed - time).seconds, at: now)
                datagrams.append(try protect([packet.data], time: time.seconds, into: &audio, srtp: srtp)[0])
            }
            while let (packet, time) = video.cursor.next(dueBy: elapsed) {
                note(lag: (elapsed - time).seconds, at: now)
                datagrams += try protect(try packetizer.packetize(packet.data), time: time.seconds, into: &video, srtp: srtp)
            }
        } catch {
            return finish("could not send: \(error)")
        }
        send(datagrams)
        let next = min(audio.cursor.nextTime, video.cursor.nextTime).seconds + mediaStart
        after(.nanoseconds(max(0, Int64((next - monotonicSeconds()) * 1e9)))) { $0.sendDue() }
    }

    private var packetizer = VP8Packetizer()

    private func protect(_ payloads: [[UInt8]], time: Double, into stream: inout Outbound, srtp: SRTPSession) throws -> [[UInt8]] {
        try payloads.enumerated().map { index, payload in
            let header = RTPHeader(
                marker: index == payloads.count - 1, payloadType: stream.payloadType, sequenceNumber: stream.sequence,
                timestamp: stream.timestamp(at: time), ssrc: stream.ssrc)
            stream.sequence &+= 1
            stream.packets &+= 1
            stream.octets &+= UInt32(payload.count)
            var bytes: [UInt8] = []
            RTPPacket(header: header, payload: payload).serialize(into: &bytes)
            try srtp.protectRTP(&bytes)
            return bytes
        }
    }

    private func note(lag: Double, at now: Double) {
        if lag > Self.lateSeconds { late.append((now, lag)) }
    }

    /// One sender report per stream, so the server maps its timestamps to our clock.
    private func sendReports() {
        guard let srtp, let mediaStart else { return }
        let now = monotonicSeconds()
        let ntp = NTPTime(Date()).rawValue
        var datagrams: [[UInt8]] = []
        for stream in [audio, video] {
            let report = SenderReport(
                ssrc: stream.ssrc, ntpTimestamp: ntp, rtpTimestamp: stream.timestamp(at: now - mediaStart),
                packetCount: stream.packets, octetCount: stream.octets)
            var bytes: [UInt8] = []
            RTCPCompoundPacket.serialize([.senderReport(report)], into: &bytes)
            guard (try? srtp.protectRTCP(&bytes)) != nil else { continue }
            datagrams.append(bytes)
        }
        send(datagrams)
    }

    private func send(_ datagrams: [[UInt8]]) {
        guard let server, !datagrams.isEmpty else { return }
        for datagram in datagrams {
            channel.write(AddressedEnvelope(remoteAddress: server, data: channel.allocator.buffer(bytes: datagram)), promise: nil)
        }
        channel.flush()
    }

    // MARK: timers and the outcome

    private func finish(_ failure: String?) {
        guard let connected else { return }
        self.connected = nil
        connected(failure)
    }

    private func after(_ delay: TimeAmount, _ body: @escaping (LoadParticipant) -> Void) {
        guard !closed else { return }
        let loop = channel.eventLoop
        let bound = NIOLoopBound((participant: self, body: body), eventLoop: loop)
        loop.scheduleTask(in: delay) {
            let (participant, body) = bound.value
            if !participant.closed { body(participant) }
        }
    }

    private func every(_ interval: TimeAmount, _ body: @escaping (LoadParticipant) -> Void) {
        after(interval) { participant in
            body(participant)
            participant.every(interval, body)
        }
    }
}
