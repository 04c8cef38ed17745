import CAllocationCounter
import Foundation
import Logging
import Synchronization
import TesseraMixer
import TesseraTransport
import TesseraWire

/// One peer's packet path in-process, without sockets: a `PeerConnection` (the server's
/// side, as the media port holds it) connected over DTLS to a client endpoint in this
/// process. The client sends a participant's VP8 and Opus frames as SRTP; the server side
/// decrypts, reorders and depacketizes them (`handleRTP`, and `tick` every 10 ms as the
/// port's timer does) into a frame sink, as a room takes them, and packetizes, stores for NACK and encrypts the same frames back
/// (`send`, the mix's way out). Only the server side's calls are measured: allocations,
/// bytes allocated and thread CPU per packet each way.
final class TransportRun {
    struct Cost {
        private(set) var packets = 0
        private(set) var payloadBytes = 0
        private(set) var allocations: UInt64 = 0
        private(set) var allocatedBytes: UInt64 = 0
        private(set) var cpuSeconds = 0.0

        mutating func record(from before: Measurement, to after: Measurement, packets: Int, bytes: Int, cpu: Double) {
            self.packets += packets
            payloadBytes += bytes
            allocations += after.allocations - before.allocations
            allocatedBytes += after.allocatedBytes - before.allocatedBytes
            cpuSeconds += cpu
        }

        var fields: [String: Any] {
            let count = Double(max(packets, 1))
            return [
                "packets": packets, "allocationsPerPacket": Double(allocations) / count,
                "allocatedBytesPerPacket": Double(allocatedBytes) / count, "bytesPerPacket": Double(payloadBytes) / count,
                "microsecondsPerPacket": cpuSeconds * 1e6 / count,
            ]
        }
    }

    private let server: PeerConnection
    private let client: SRTPSession
    private let inputs: BenchInputs.Participant
    private var counters = TransportCounters()
    /// Frames the server side handed to its sink (the room's `FrameInbox` in the server).
    private let sunk = FrameCount()

    final class FrameCount: Sendable {
        private let value = Mutex(0)
        func add() { value.withLock { $0 += 1 } }
        var count: Int { value.withLock { $0 } }
    }
    private(set) var inbound = Cost()
    private(set) var outbound = Cost()
    /// With TESSERA_ALLOC_TRACE=inbound or outbound, that direction's measured allocations
    /// are traced (see allocation_counter.h).
    private let traced: ReferenceWritableKeyPath<TransportRun, Cost>? =
        switch ProcessInfo.processInfo.environment["TESSERA_ALLOC_TRACE"] {
        case "inbound": \.inbound
        case "outbound": \.outbound
        default: nil
        }

    static let tickInterval: Duration = .milliseconds(10)
    /// The client's SSRC and payload type for each kind (as in `offer`).
    private static let sender: [NegotiatedMedia.Kind: (ssrc: UInt32, payloadType: UInt8)] = [
        .video: (videoSSRC, BenchOffer.videoPayloadType), .audio: (audioSSRC, BenchOffer.audioPayloadType),
    ]
    private static let videoSSRC: UInt32 = 0x5678
    private static let audioSSRC: UInt32 = 0x1234

    init(inputs: BenchInputs.Participant) throws {
        self.inputs = inputs
        let serverCertificate = try DTLSCertificate()
        let clientCertificate = try DTLSCertificate()
        let offer = BenchOffer(
            credentials: ICECredentials(ufrag: "cliU", password: "clientpassword0123456789ab"),
            fingerprint: clientCertificate.fingerprint, audioSSRC: Self.audioSSRC, videoSSRC: Self.videoSSRC, cname: "bench"
        ).sdp
        let negotiation = try OfferAnswer(
            candidateAddress: "127.0.0.1", candidatePort: 9,
            fingerprint: SDPFingerprint(hashFunction: "sha-256", bytes: serverCertificate.fingerprint.bytes), cname: "bench"
        ).answer(offer: offer, role: .publisher)
        let (_, events) = AsyncStream.makeStream(of: PeerSessionEvent.self, bufferingPolicy: .bufferingNewest(16))
        let (_, frames) = AsyncStream.makeStream(of: InboundFrame.self, bufferingPolicy: .bufferingNewest(1))
        server = try PeerConnection(
            id: "bench", negotiation: negotiation, certificate: serverCertificate, now: .zero, events: events,
            frames: frames, closeSignal: CloseSignal(), logger: Logger(label: "tessera-bench.transport", factory: { _ in SwiftLogNoOpLogHandler() }))
        let sunk = self.sunk
        server.deliverFrames { _ in sunk.add() }
        client = try Self.handshake(server, clientCertificate: clientCertificate, serverFingerprint: serverCertificate.fingerprint)
    }

    /// Runs `duration` of media time as fast as the CPU allows; packets after `warmup`
    /// are measured.
    func run(for duration: Duration, warmup: Duration) throws {
        var video = PacketCursor(inputs.video, period: inputs.period)
        var audio = PacketCursor(inputs.audio, period: inputs.period)
        var packetizer = VP8Packetizer()
        var sequence: [UInt32: UInt16] = [:]
        var now: Duration = .zero
        while now < duration {
            now += Self.tickInterval
            let measured = now > warmup
            var sent: [(payloads: [[UInt8]], frame: OutboundFrame)] = []
            while let (packet, time) = video.next(dueBy: now) {
                let timestamp = UInt32(truncatingIfNeeded: Int64(time.seconds * 90_000))
                sent.append((try packetizer.packetize(packet.data), OutboundFrame(kind: .video, rtpTimestamp: timestamp, data: packet.data)))
            }
            while let (packet, time) = audio.next(dueBy: now) {
                let timestamp = UInt32(truncatingIfNeeded: Int64(time.seconds * 48_000))
                sent.append(([packet.data], OutboundFrame(kind: .audio, rtpTimestamp: timestamp, data: packet.data)))
            }
            for frame in sent {
                var datagrams: [[UInt8]] = []
                guard let (ssrc, payloadType) = Self.sender[frame.frame.kind] else { continue }
                for (index, payload) in frame.payloads.enumerated() {
                    let number = sequence[ssrc, default: 0]
                    sequence[ssrc] = number &+ 1
                    let header = RTPHeader(
                        marker: index == frame.payloads.count - 1, payloadType: payloadType, sequenceNumber: number,
                        timestamp: frame.frame.rtpTimestamp, ssrc: ssrc)
                    var bytes: [UInt8] = []
                    RTPPacket(header: header, payload: payload).serialize(into: &bytes)
                    try client.protectRTP(&bytes)
                    datagrams.append(bytes)
                }
                measure(measured ? \.inbound : nil, packets: datagrams.count, bytes: datagrams.reduce(0) { $0 + $1.count }) {
                    for var datagram in datagrams { server.handleRTP(&datagram, now: now, counters: &counters) }
                }
                var protected: [[UInt8]] = []
                measure(measured ? \.outbound : nil, packets: frame.payloads.count, bytes: frame.frame.data.count) {
                    protected = server.send(frame.frame, now: now, counters: &counters)
                }
                for var packet in protected { try client.unprotectRTP(&packet) }
                guard protected.count == frame.payloads.count else {
                    throw BenchError("the server side sent \(protected.count) packets for a frame of \(frame.payloads.count)")
                }
            }
            measure(measured ? \.inbound : nil, packets: 0, bytes: 0) {
                _ = server.tick(now: now, counters: &counters)
            }
        }
        guard framesIn > 0, framesIn == counters.framesIn, counters.dropped.isEmpty else {
            throw BenchError("the server side took \(counters.framesIn) frames, its sink \(framesIn), dropped \(counters.dropped)")
        }
    }

    var framesIn: Int { sunk.count }

    private func measure(_ cost: ReferenceWritableKeyPath<TransportRun, Cost>?, packets: Int, bytes: Int, _ body: () -> Void) {
        guard let cost else { return body() }
        let tracing = cost == traced
        let before = Measurement.now()
        let cpu = threadCPUSeconds()
        if tracing { tessera_allocation_trace(1) }
        body()
        if tracing { tessera_allocation_trace(0) }
        let spent = threadCPUSeconds() - cpu
        self[keyPath: cost].record(from: before, to: Measurement.now(), packets: packets, bytes: bytes, cpu: spent)
    }

    /// DTLS between the client endpoint and the server side, datagram by datagram; the
    /// client's SRTP session from the exported keys.
    private static func handshake(_ server: PeerConnection, clientCertificate: DTLSCertificate, serverFingerprint: DTLSFingerprint)
        throws -> SRTPSession
    {
        let client = try DTLSEndpoint(role: .client, certificate: clientCertificate, expectedPeerFingerprint: serverFingerprint)
        var counters = TransportCounters()
        var toServer = client.start()
        for _ in 0..<20 {
            var toClient: [[UInt8]] = []
            for datagram in toServer { toClient += server.handleDTLS(datagram, counters: &counters).datagrams }
            toServer = []
            for datagram in toClient {
                let output = client.receive(datagram)
                toServer += output.datagrams
                if case .connected(let connection) = output.event {
                    for datagram in toServer { _ = server.handleDTLS(datagram, counters: &counters) }
                    return try SRTPSession.forDTLS(connection)
                }
            }
        }
        throw BenchError("the DTLS handshake did not complete")
    }
}
