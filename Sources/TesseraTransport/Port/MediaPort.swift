public import Logging
public import NIOCore
public import NIOPosix
public import TesseraWire

/// The one UDP port every WebRTC session of the server shares (API.md: all media on one
/// port). Owns the DTLS certificate and the event loop the packet path runs on.
public final class MediaPort: Sendable {
    public let certificate: DTLSCertificate
    public let host: String
    /// The port actually bound (useful when asked for port 0).
    public let port: Int
    private let channel: any Channel
    private let handler: NIOLoopBound<MediaPortHandler>
    private let timer: NIOLoopBound<RepeatedTask?>
    private let clock: @Sendable () -> Duration
    private let logger: Logger

    /// Datagrams one read system call (recvmmsg) may take.
    static let vectorReadCount = 16

    /// How often session timers (DTLS retransmission, consent) are checked.
    public static let tickInterval: TimeAmount = .milliseconds(100)

    /// Binds the UDP port.
    /// - Parameter now: monotonic time since an arbitrary origin; tests pass a manual one.
    public static func bind(
        host: String, port: Int, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        now: (@Sendable () -> Duration)? = nil, logger: Logger = Logger(label: "tessera.media")
    ) async throws -> MediaPort {
        let certificate = try DTLSCertificate()
        let clock = now ?? MediaPort.monotonicNow()
        let eventLoop = group.next()
        let handler = try await eventLoop.submit { NIOLoopBound(MediaPortHandler(now: clock, logger: logger), eventLoop: eventLoop) }.get()
        let channel = try await DatagramBootstrap(group: eventLoop)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
            // Reads take up to `vectorReadCount` datagrams per recvmmsg, each into a slot one
            // byte larger than any media datagram, so a larger one shows as too large.
            .channelOption(.datagramVectorReadMessageCount, value: vectorReadCount)
            .channelOption(
                .recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: (MediaPortHandler.maxDatagram + 1) * vectorReadCount))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler.value) }
            }
            .bind(host: host, port: port).get()
        let timer = try await eventLoop.submit {
            NIOLoopBound<RepeatedTask?>(
                eventLoop.scheduleRepeatedTask(initialDelay: tickInterval, delay: tickInterval) { _ in handler.value.tick() },
                eventLoop: eventLoop)
        }.get()
        let bound = channel.localAddress?.port ?? port
        logger.info("media port bound", metadata: ["udp": "\(host):\(bound)", "fingerprint": "\(certificate.fingerprint)"])
        return MediaPort(
            certificate: certificate, host: host, port: bound, channel: channel, handler: handler, timer: timer, now: clock,
            logger: logger)
    }

    private init(
        certificate: DTLSCertificate, host: String, port: Int, channel: any Channel, handler: NIOLoopBound<MediaPortHandler>,
        timer: NIOLoopBound<RepeatedTask?>, now: @escaping @Sendable () -> Duration, logger: Logger
    ) {
        self.certificate = certificate
        self.host = host
        self.port = port
        self.channel = channel
        self.handler = handler
        self.timer = timer
        self.clock = now
        self.logger = logger
    }

    private static func monotonicNow() -> @Sendable () -> Duration {
        let origin = ContinuousClock.now
        return { ContinuousClock.now - origin }
    }

    /// The port's clock: what `OutboundFrame.captureTime` and frame arrivals are measured on.
    public func now() -> Duration { clock() }

    /// The fingerprint to put in SDP answers.
    public var sdpFingerprint: SDPFingerprint {
        SDPFingerprint(hashFunction: certificate.fingerprint.algorithm.rawValue, bytes: certificate.fingerprint.bytes)
    }

    /// Starts a session for a negotiated offer: from now on the port answers its ICE checks
    /// and DTLS handshake.
    public func open(negotiation: Negotiation, id: String, logger sessionLogger: Logger? = nil) async throws -> PeerSession {
        let (events, continuation) = AsyncStream.makeStream(of: PeerSessionEvent.self, bufferingPolicy: .unbounded)
        // Frames are dropped oldest-first if the room falls behind, never queued without bound.
        let (frames, frameContinuation) = AsyncStream.makeStream(
            of: InboundFrame.self, bufferingPolicy: .bufferingNewest(MediaPort.frameBacklog))
        var log = sessionLogger ?? logger
        log[metadataKey: "session"] = "\(id)"
        let closeSignal = CloseSignal()
        let certificate = self.certificate
        let now = self.clock
        let handler = self.handler
        let logged = log
        try await channel.eventLoop.submit {
            let connection = try PeerConnection(
                id: id, negotiation: negotiation, certificate: certificate, now: now(), events: continuation,
                frames: frameContinuation, closeSignal: closeSignal, logger: logged)
            handler.value.add(connection)
        }.get()
        return PeerSession(id: id, negotiation: negotiation, events: events, frames: frames, closeSignal: closeSignal, port: self)
    }

    func close(sessionID: String, reason: CloseReason) async {
        let handler = self.handler
        try? await channel.eventLoop.submit { handler.value.close(id: sessionID, reason: reason) }.get()
    }

    /// Frames a slow room may leave unread per session before the oldest are dropped.
    public static let frameBacklog = 256

    func send(_ frame: OutboundFrame, sessionID: String) async -> Bool {
        let handler = self.handler
        return (try? await channel.eventLoop.submit { handler.value.send(frame, sessionID: sessionID) }.get()) ?? false
    }

    /// Sends one encoded frame to each of `sessionIDs` (the room's fan-out): one hop to the
    /// event loop, no waiting, so a room never waits on the packet path.
    public func send(_ frame: OutboundFrame, to sessionIDs: [String]) {
        let handler = self.handler
        channel.eventLoop.execute { handler.value.send(frame, to: sessionIDs) }
    }

    func deliverFrames(sessionID: String, to sink: @escaping @Sendable (InboundFrame) -> Void) {
        let handler = self.handler
        channel.eventLoop.execute { handler.value.deliverFrames(sessionID: sessionID, to: sink) }
    }

    /// Asks the peer of `sessionID` for a keyframe of its video (RTCP PLI, throttled).
    public func requestKeyframe(sessionID: String) {
        let handler = self.handler
        channel.eventLoop.execute { handler.value.requestKeyframe(sessionID: sessionID) }
    }

    func packetsReceived(sessionID: String) async -> [UInt32: Int64] {
        let handler = self.handler
        return (try? await channel.eventLoop.submit { handler.value.packetsReceived(sessionID: sessionID) }.get()) ?? [:]
    }

    func restartICE(sessionID: String, remote: ICECredentials) async -> ICECredentials? {
        let handler = self.handler
        return try? await channel.eventLoop.submit { handler.value.restartICE(id: sessionID, remote: remote) }.get() ?? nil
    }

    func remoteICE(sessionID: String) async -> ICECredentials? {
        let handler = self.handler
        return try? await channel.eventLoop.submit { handler.value.remoteICE(id: sessionID) }.get() ?? nil
    }

    /// A snapshot of the packet counters.
    public func counters() async -> TransportCounters {
        let handler = self.handler
        return (try? await channel.eventLoop.submit { handler.value.counters }.get()) ?? TransportCounters()
    }

    /// Number of sessions the port currently serves.
    public func sessionCount() async -> Int {
        let handler = self.handler
        return (try? await channel.eventLoop.submit { handler.value.sessionCount }.get()) ?? 0
    }

    /// Runs session timers now (tests under a manual clock call this instead of waiting).
    public func tick() async {
        let handler = self.handler
        try? await channel.eventLoop.submit { handler.value.tick() }.get()
    }

    /// Ends every session with `reason` and closes the socket.
    public func shutdown(reason: CloseReason = .shutdown) async {
        let handler = self.handler
        let timer = self.timer
        try? await channel.eventLoop.submit {
            timer.value?.cancel()
            handler.value.closeAll(reason: reason)
        }.get()
        try? await channel.close()
    }
}
