import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing
import TesseraWire
@testable import TesseraTransport

/// The media port over a real loopback socket, with an in-test client doing what a browser
/// does (ICE check, DTLS client, SRTP) and a manual clock for consent freshness.
@Suite struct MediaPortTests {
    final class ManualClock: Sendable {
        private let value = Mutex<Duration>(.zero)
        var now: Duration { value.withLock { $0 } }
        func advance(_ step: Duration) { value.withLock { $0 += step } }
    }

    /// A UDP socket that collects what it receives.
    final class Client: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        private let received = Mutex<[[UInt8]]>([])
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = Self.unwrapInboundIn(data)
            received.withLock { $0.append(Array(envelope.data.readableBytesView)) }
        }
        func take() -> [[UInt8]] { received.withLock { let all = $0; $0 = []; return all } }
    }

    static let offer = """
        v=0\r
        o=- 1 1 IN IP4 127.0.0.1\r
        s=-\r
        t=0 0\r
        a=group:BUNDLE 0\r
        m=audio 9 UDP/TLS/RTP/SAVPF 111\r
        c=IN IP4 127.0.0.1\r
        a=mid:0\r
        a=sendrecv\r
        a=rtcp-mux\r
        a=ice-ufrag:cliU\r
        a=ice-pwd:clientpassword0123456789ab\r
        a=setup:actpass\r
        a=rtpmap:111 opus/48000/2\r
        a=ssrc:1234 cname:test\r

        """

    struct Setup {
        let port: MediaPort
        let session: PeerSession
        let channel: any Channel
        let client: Client
        let clientCertificate: DTLSCertificate
        let target: SocketAddress
    }

    static let videoSection = """
        m=video 9 UDP/TLS/RTP/SAVPF 96 97\r
        c=IN IP4 127.0.0.1\r
        a=mid:1\r
        a=sendrecv\r
        a=rtcp-mux\r
        a=ice-ufrag:cliU\r
        a=ice-pwd:clientpassword0123456789ab\r
        a=setup:actpass\r
        a=rtpmap:96 VP8/90000\r
        a=rtcp-fb:96 nack\r
        a=rtcp-fb:96 nack pli\r
        a=rtpmap:97 rtx/90000\r
        a=fmtp:97 apt=96\r
        a=ssrc:5678 cname:test\r

        """

    /// A port (or `existing`) with session `id` opened on it, and a client socket for it.
    func setUp(
        clock: ManualClock, video: Bool = false, transportCC: Bool = false, on existing: MediaPort? = nil, id: String = "s1"
    ) async throws -> Setup {
        let port = if let existing { existing } else { try await MediaPort.bind(host: "127.0.0.1", port: 0, now: { clock.now }) }
        let clientCertificate = try DTLSCertificate()
        let fingerprint = SDPFingerprint(hashFunction: "sha-256", bytes: clientCertificate.fingerprint.bytes)
        var base = Self.offer
        if video {
            base = base.replacingOccurrences(of: "a=group:BUNDLE 0", with: "a=group:BUNDLE 0 1") + Self.videoSection
        }
        if transportCC {
            base = base.replacingOccurrences(
                of: "a=rtcp-fb:96 nack\r\n",
                with: "a=rtcp-fb:96 nack\r\na=rtcp-fb:96 transport-cc\r\na=extmap:5 \(HeaderExtensionURI.transportWideCC)\r\n")
        }
        let offer = base.replacingOccurrences(of: "a=setup:actpass", with: "a=fingerprint:\(fingerprint.hashFunction) \(fingerprint.hexString)\r\na=setup:actpass")
        let negotiation = try OfferAnswer(
            candidateAddress: "127.0.0.1", candidatePort: UInt16(port.port), fingerprint: port.sdpFingerprint, cname: "t"
        ).answer(offer: offer, role: .publisher)
        let session = try await port.open(negotiation: negotiation, id: id)
        let client = Client()
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(client) } }
            .bind(host: "127.0.0.1", port: 0).get()
        return Setup(
            port: port, session: session, channel: channel, client: client, clientCertificate: clientCertificate,
            target: try SocketAddress(ipAddress: "127.0.0.1", port: port.port))
    }

    func send(_ bytes: [UInt8], _ setup: Setup) async throws {
        try await setup.channel.writeAndFlush(
            AddressedEnvelope(remoteAddress: setup.target, data: setup.channel.allocator.buffer(bytes: bytes)))
    }

    /// Waits (bounded) until `condition` holds, polling the socket's inbox.
    func eventually(_ condition: () async -> Bool) async throws -> Bool {
        for _ in 0..<200 {
            if await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    func check(_ setup: Setup) -> [UInt8] {
        let negotiation = setup.session.negotiation
        let request = STUNMessage(
            type: .bindingRequest,
            attributes: [.username("\(negotiation.localICE.ufrag):cliU"), .priority(1), .iceControlling(7), .useCandidate])
        return request.serialized(integrityKey: Array(negotiation.localICE.password.utf8), fingerprint: true)
    }

    /// The RTP packets the client received so far, decrypted with its SRTP session.
    func rtpPackets(_ setup: Setup, _ srtp: SRTPSession) -> [RTPPacket] {
        setup.client.take().compactMap { datagram -> RTPPacket? in
            guard PacketClass(datagram) == .rtp else { return nil }
            var bytes = datagram
            guard (try? srtp.unprotectRTP(&bytes)) != nil else { return nil }
            return try? RTPPacket(parsing: bytes)
        }
    }

    /// ICE check, then a DTLS client handshake like a browser's; returns the client's SRTP.
    func connect(_ setup: Setup) async throws -> SRTPSession {
        try await send(check(setup), setup)
        #expect(try await eventually { !setup.client.take().isEmpty })
        return try await handshake(setup)
    }

    /// The DTLS client side of a browser with a=setup:active, then its SRTP session.
    func handshake(_ setup: Setup) async throws -> SRTPSession {
        let dtls = try DTLSEndpoint(
            role: .client, certificate: setup.clientCertificate, expectedPeerFingerprint: setup.port.certificate.fingerprint)
        for datagram in dtls.start() { try await send(datagram, setup) }
        var connection: DTLSConnection?
        for _ in 0..<300 where connection == nil {
            for datagram in setup.client.take() {
                let output = dtls.receive(datagram)
                for reply in output.datagrams { try await send(reply, setup) }
                if case .connected(let connected) = output.event { connection = connected }
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        let connected = try #require(connection)
        return try SRTPSession.forDTLS(
            role: .client, profile: try #require(SRTPProfile(protectionProfileID: connected.srtpProfileID)),
            keyingMaterial: connected.keyingMaterial)
    }

    @Test func framesFlowBothWaysAndNACKsAreAnsweredFromHistory() async throws {
        let clock = ManualClock()
        let setup = try await setUp(clock: clock, video: true)
        defer { Task { await setup.port.shutdown(); try? await setup.channel.close() } }
        let srtp = try await connect(setup)
        _ = setup.client.take()

        // Client → server: a 3000-byte VP8 keyframe in three packets, sent out of order.
        var keyframe: [UInt8] = [0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0x68, 0x01]
        keyframe += (0..<2990).map { UInt8(truncatingIfNeeded: $0) }
        var packetizer = VP8Packetizer(maxPayloadSize: 1100)
        let payloads = try packetizer.packetize(keyframe)
        #expect(payloads.count == 3)
        var packets: [[UInt8]] = []
        for (index, payload) in payloads.enumerated() {
            var bytes: [UInt8] = []
            RTPPacket(header: RTPHeader(marker: index == payloads.count - 1, payloadType: 96, sequenceNumber: UInt16(truncatingIfNeeded: 65534 + index), timestamp: 9000, ssrc: 5678), payload: payload)
                .serialize(into: &bytes)
            bytes.reserveCapacity(bytes.count + SRTPSession.trailerCapacity)
            try srtp.protectRTP(&bytes)
            packets.append(bytes)
        }
        for index in [0, 2, 1] { try await send(packets[index], setup) }
        var frames = setup.session.frames.makeAsyncIterator()
        let frame = try #require(await frames.next())
        #expect(frame.codec == .vp8)
        #expect(frame.isKeyframe)
        #expect(frame.rtpTimestamp == 9000)
        #expect(frame.data == keyframe)

        // Server → client: a frame from the room goes out with our SSRC, decryptable.
        let video = try #require(setup.session.negotiation.media.first { $0.kind == .video })
        #expect(await setup.session.send(OutboundFrame(kind: .video, rtpTimestamp: 1234, data: keyframe)))
        var received: [RTPPacket] = []
        #expect(try await eventually {
            received += rtpPackets(setup, srtp)
            return received.count == 3
        })
        #expect(received.allSatisfy { $0.header.ssrc == video.localSSRC && $0.header.timestamp == 1234 })
        #expect(received.last?.header.marker == true)

        // The client lost the second packet: its NACK is answered from the send history.
        var nack: [UInt8] = []
        RTCPCompoundPacket.serialize(
            [.genericNACK(GenericNACK(senderSSRC: 5678, mediaSSRC: video.localSSRC, sequenceNumbers: [received[1].header.sequenceNumber]))],
            into: &nack)
        nack.reserveCapacity(nack.count + SRTPSession.trailerCapacity)
        try srtp.protectRTCP(&nack)
        try await send(nack, setup)
        var resent: [RTPPacket] = []
        #expect(try await eventually {
            resent += rtpPackets(setup, srtp)
            return !resent.isEmpty
        })
        let counters = await setup.port.counters()
        #expect(counters.nacksIn == 1)
        #expect(counters.retransmissionsOut == 1)
        #expect(counters.framesIn == 1)
        // Negotiated RTX: the repair comes on the RTX SSRC with the original sequence number first.
        #expect(resent.first?.header.ssrc == video.localRTXSSRC)
        #expect(resent.first.map { Array($0.payload.prefix(2)) } == [UInt8(received[1].header.sequenceNumber >> 8), UInt8(truncatingIfNeeded: received[1].header.sequenceNumber)])
    }

    @Test func aFanOutSendsEveryReceiversPacketsInOneBatch() async throws {
        let clock = ManualClock()
        let first = try await setUp(clock: clock, video: true)
        let second = try await setUp(clock: clock, video: true, on: first.port, id: "s2")
        defer { Task { await first.port.shutdown(); try? await first.channel.close(); try? await second.channel.close() } }
        let firstSRTP = try await connect(first)
        let secondSRTP = try await connect(second)
        _ = first.client.take()
        _ = second.client.take()

        let before = await first.port.counters()
        let frame = [UInt8](repeating: 0x5A, count: 3000)
        first.port.send(OutboundFrame(kind: .video, rtpTimestamp: 1234, data: frame), to: ["s1", "s2"])
        var toFirst: [RTPPacket] = []
        var toSecond: [RTPPacket] = []
        #expect(try await eventually {
            toFirst += rtpPackets(first, firstSRTP)
            toSecond += rtpPackets(second, secondSRTP)
            return toFirst.count == 3 && toSecond.count == 3
        })
        let after = await first.port.counters()
        #expect(after.datagramsOut - before.datagramsOut == 6)
        // The six datagrams were flushed together: NIO hands them to one sendmmsg.
        #expect(after.sendBatches - before.sendBatches == 1)
    }

    @Test func transportWideCCNumbersOutboundAndFeedsBackInbound() async throws {
        let clock = ManualClock()
        let setup = try await setUp(clock: clock, video: true, transportCC: true)
        defer { Task { await setup.port.shutdown(); try? await setup.channel.close() } }
        let srtp = try await connect(setup)
        _ = setup.client.take()
        let video = try #require(setup.session.negotiation.media.first { $0.kind == .video })
        #expect(video.usesFeedback("transport-cc"))

        // Inbound: packets with transport-wide sequence numbers get a feedback packet.
        for index in 0..<10 {
            let ext = try RTPHeaderExtension(elements: [(5, TransportSequenceNumberExtension(sequenceNumber: UInt16(100 + index)).encoded)])
            var bytes: [UInt8] = []
            RTPPacket(
                header: RTPHeader(payloadType: 96, sequenceNumber: UInt16(index), timestamp: 3000, ssrc: 5678, headerExtension: ext),
                payload: [0x10, 0x00, 0x00, 0x00]
            ).serialize(into: &bytes)
            bytes.reserveCapacity(bytes.count + SRTPSession.trailerCapacity)
            try srtp.protectRTP(&bytes)
            try await send(bytes, setup)
        }
        #expect(try await eventually { await setup.port.counters().rtpDecrypted == 10 })
        clock.advance(.milliseconds(200))
        await setup.port.tick()
        // The port's own timer may already have reported the first packets: collect every
        // feedback until all ten are acknowledged as received.
        var acknowledged = Set<UInt16>()
        #expect(try await eventually {
            for var datagram in setup.client.take() where PacketClass(datagram) == .rtcp {
                try? srtp.unprotectRTCP(&datagram)
                for case .transportWideFeedback(let found) in (try? RTCPCompoundPacket(parsing: datagram))?.packets ?? [] {
                    acknowledged.formUnion(found.packets.filter { $0.deltaMicroseconds != nil }.map(\.sequenceNumber))
                }
            }
            return acknowledged.count == 10
        })
        #expect(acknowledged == Set(100..<110))

        // Outbound: our packets carry consecutive transport-wide sequence numbers.
        #expect(await setup.session.send(OutboundFrame(kind: .video, rtpTimestamp: 1, data: [0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0x68, 0x01] + [UInt8](repeating: 7, count: 2000))))
        var numbers: [UInt16] = []
        let map = video.extensions
        #expect(try await eventually {
            for packet in rtpPackets(setup, srtp) {
                if let number = try? map.value(TransportSequenceNumberExtension.self, in: packet.header.headerExtension) {
                    numbers.append(number.sequenceNumber)
                }
            }
            return numbers.count == 2
        })
        #expect(numbers == [numbers[0], numbers[0] &+ 1])
    }

    @Test func iceRestartSwapsCredentialsAndKeepsTheSession() async throws {
        let clock = ManualClock()
        let setup = try await setUp(clock: clock)
        defer { Task { await setup.port.shutdown(); try? await setup.channel.close() } }
        try await send(check(setup), setup)
        #expect(try await eventually { !setup.client.take().isEmpty })
        let old = setup.session.negotiation.localICE
        let remote = ICECredentials(ufrag: "new1", password: "newclientpassword012345")
        let local = try #require(await setup.session.restartICE(remote: remote))
        #expect(local != old)
        #expect(await setup.session.remoteICE() == remote)

        // A check with the old credentials no longer reaches the session; the new ones do.
        try await send(check(setup), setup)
        #expect(try await eventually { await setup.port.counters().dropped[.unknownSession] == 1 })
        let request = STUNMessage(type: .bindingRequest, attributes: [.username("\(local.ufrag):new1"), .useCandidate])
        try await send(request.serialized(integrityKey: Array(local.password.utf8), fingerprint: true), setup)
        var answers: [[UInt8]] = []
        #expect(try await eventually { answers += setup.client.take(); return !answers.isEmpty })
        #expect(try STUNMessage(parsing: answers[0]).type == .bindingSuccessResponse)
        // Consent restarted with the restart: 29 s later the session is still there.
        clock.advance(.seconds(29))
        await setup.port.tick()
        #expect(await setup.port.sessionCount() == 1)
    }

    @Test func senderReportsMapRTPTimeThroughTheFramesCaptureTime() async throws {
        let clock = ManualClock()
        let setup = try await setUp(clock: clock, video: true)
        defer { Task { await setup.port.shutdown(); try? await setup.channel.close() } }
        let srtp = try await connect(setup)
        clock.advance(.milliseconds(500))
        // Captured 40 ms before it is sent (encoding took that long).
        let frame = OutboundFrame(
            kind: .video, rtpTimestamp: 90_000, data: [0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0x68, 0x01],
            captureTime: clock.now - .milliseconds(40))
        #expect(await setup.session.send(frame))
        let video = try #require(setup.session.negotiation.media.first { $0.kind == .video })
        clock.advance(.seconds(1))
        await setup.port.tick()
        var report: SenderReport?
        #expect(try await eventually {
            for var datagram in setup.client.take() where PacketClass(datagram) == .rtcp {
                try? srtp.unprotectRTCP(&datagram)
                for case .senderReport(let found) in (try? RTCPCompoundPacket(parsing: datagram))?.packets ?? []
                where found.ssrc == video.localSSRC {
                    report = found
                }
            }
            return report != nil
        })
        // The port's own 100 ms timer (real time) may send the SR before the clock moves
        // on: then it stands 40 ms after capture, else 1.04 s. Either way the 40 ms between
        // capture and send is in it (anchored at the capture time, not the send time).
        let rtp = try #require(report?.rtpTimestamp)
        #expect(rtp == UInt32(90_000 + 93_600) || rtp == UInt32(90_000 + 3_600), "rtp \(rtp)")
        #expect(report?.packetCount == 1)
    }

    @Test func iceDTLSAndSRTPCompleteAndRTPIsDecrypted() async throws {
        let clock = ManualClock()
        let setup = try await setUp(clock: clock)
        defer { Task { await setup.port.shutdown(); try? await setup.channel.close() } }

        try await send(check(setup), setup)
        var responses: [[UInt8]] = []
        #expect(try await eventually { responses += setup.client.take(); return !responses.isEmpty })
        let response = try STUNMessage(parsing: responses[0])
        #expect(response.type == .bindingSuccessResponse)
        #expect(response.verifyMessageIntegrity(key: Array(setup.session.negotiation.localICE.password.utf8)))

        let srtp = try await handshake(setup)
        var events = setup.session.events.makeAsyncIterator()
        #expect(await events.next() == .connected)
        for sequence in 0..<5 {
            var packet: [UInt8] = []
            RTPPacket(header: RTPHeader(payloadType: 111, sequenceNumber: UInt16(sequence), timestamp: 960 * UInt32(sequence), ssrc: 1234), payload: [1, 2, 3, 4])
                .serialize(into: &packet)
            packet.reserveCapacity(packet.count + SRTPSession.trailerCapacity)
            try srtp.protectRTP(&packet)
            try await send(packet, setup)
        }
        #expect(try await eventually { await setup.session.packetsReceived()[1234] == 5 })
        let counters = await setup.port.counters()
        #expect(counters.rtpDecrypted == 5)
        #expect(counters.stunIn == 1)
        #expect(counters.dtlsIn >= 2)

        // A garbage datagram from the same address is dropped and counted, the session lives on.
        try await send([0x80, 0x6F, 0, 1, 0, 0, 0, 0, 0, 0, 0x04, 0xD2, 0xFF], setup)
        try await send([0xFF, 0xFF], setup)
        #expect(try await eventually { await setup.port.counters().droppedTotal >= 2 })
        #expect(await setup.port.sessionCount() == 1)
    }

    /// A room takes frames straight from the event loop once it asks: the queued ones
    /// stay readable from `frames`, which then ends; later ones reach the sink only.
    @Test(.timeLimit(.minutes(1))) func framesGoToADirectSinkOnceAskedAndTheStreamEndsAfterWhatItQueued() async throws {
        let clock = ManualClock()
        let setup = try await setUp(clock: clock)
        defer { Task { await setup.port.shutdown(); try? await setup.channel.close() } }
        let srtp = try await connect(setup)
        func audio(_ sequence: Int) throws -> [UInt8] {
            var packet: [UInt8] = []
            RTPPacket(header: RTPHeader(payloadType: 111, sequenceNumber: UInt16(sequence), timestamp: 960 * UInt32(sequence), ssrc: 1234), payload: [1, 2, 3, UInt8(sequence)])
                .serialize(into: &packet)
            packet.reserveCapacity(packet.count + SRTPSession.trailerCapacity)
            try srtp.protectRTP(&packet)
            return packet
        }
        try await send(audio(0), setup)
        #expect(try await eventually { await setup.port.counters().framesIn == 1 })

        let sunk = Mutex<[InboundFrame]>([])
        setup.session.deliverFrames { frame in sunk.withLock { $0.append(frame) } }
        var queued: [InboundFrame] = []
        for await frame in setup.session.frames { queued.append(frame) }  // Ends: the sink took over.
        #expect(queued.map(\.rtpTimestamp) == [0])

        for sequence in 1...3 { try await send(audio(sequence), setup) }
        #expect(try await eventually { sunk.withLock { $0.count } == 3 })
        #expect(sunk.withLock { $0.map(\.data.last) } == [1, 2, 3])
    }

    @Test func sessionWithoutChecksForThirtySecondsIsClosedAsTimeout() async throws {
        let clock = ManualClock()
        let setup = try await setUp(clock: clock)
        defer { Task { await setup.port.shutdown(); try? await setup.channel.close() } }
        try await send(check(setup), setup)
        #expect(try await eventually { !setup.client.take().isEmpty })

        clock.advance(.seconds(29))
        await setup.port.tick()
        #expect(await setup.port.sessionCount() == 1)
        clock.advance(.seconds(1))
        await setup.port.tick()
        #expect(await setup.port.sessionCount() == 0)
        var events = setup.session.events.makeAsyncIterator()
        #expect(await events.next() == .closed(.timeout))
        #expect(await events.next() == nil)
        // Any number of tasks can wait for the end, besides the one events reader.
        async let first = setup.session.closed()
        async let second = setup.session.closed()
        #expect(await [first, second] == [.timeout, .timeout])
    }

    @Test func aBurstIsReadWholeAndAnOversizedDatagramIsDroppedAsTooLarge() async throws {
        let clock = ManualClock()
        let setup = try await setUp(clock: clock)
        defer { Task { await setup.port.shutdown(); try? await setup.channel.close() } }
        // More datagrams than one recvmmsg takes, sent at once: every one is read.
        let burst = 3 * MediaPort.vectorReadCount + 1
        for _ in 0..<burst {
            setup.channel.write(AddressedEnvelope(remoteAddress: setup.target, data: setup.channel.allocator.buffer(bytes: [0xFF, 1, 2])), promise: nil)
        }
        setup.channel.flush()
        #expect(try await eventually { await setup.port.counters().dropped[.unknownClass] == burst })
        // One byte over the largest media datagram: dropped unread, not truncated and parsed.
        try await send([UInt8](repeating: 0x80, count: MediaPortHandler.maxDatagram + 1), setup)
        try await send([UInt8](repeating: 0x80, count: 9000), setup)
        #expect(try await eventually { await setup.port.counters().dropped[.tooLarge] == 2 })
        #expect(await setup.port.counters().rtpIn == 0)
    }

    @Test func unknownUfragAndBadIntegrityAreCountedNotAnswered() async throws {
        let clock = ManualClock()
        let setup = try await setUp(clock: clock)
        defer { Task { await setup.port.shutdown(); try? await setup.channel.close() } }
        let stranger = STUNMessage(type: .bindingRequest, attributes: [.username("nobody:cliU")])
            .serialized(integrityKey: Array("whatever-password-123456".utf8), fingerprint: true)
        try await send(stranger, setup)
        let wrongKey = STUNMessage(
            type: .bindingRequest, attributes: [.username("\(setup.session.negotiation.localICE.ufrag):cliU")]
        ).serialized(integrityKey: Array("not-the-password-0123456".utf8), fingerprint: true)
        try await send(wrongKey, setup)
        #expect(try await eventually { await setup.port.counters().dropped[.stunRejected] == 1 })
        #expect(await setup.port.counters().dropped[.unknownSession] == 1)
        // The 401 for the bad integrity is the only answer.
        var answers: [[UInt8]] = []
        #expect(try await eventually { answers += setup.client.take(); return !answers.isEmpty })
        try await Task.sleep(for: .milliseconds(50))
        answers += setup.client.take()
        #expect(answers.count == 1)
        #expect(try answers.first.map { try STUNMessage(parsing: $0).errorCode?.code } == 401)
    }
}
