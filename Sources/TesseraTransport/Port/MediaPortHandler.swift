import Logging
import NIOCore
import TesseraWire

/// The media port's channel handler: demultiplexes every datagram (RFC 7983), routes it
/// to its session by ICE ufrag (STUN) or by validated remote address (DTLS, SRTP), and
/// writes what sessions answer. Runs on the port's one event loop, so the session tables
/// and counters need no locks.
final class MediaPortHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private var sessionsByUfrag: [String: PeerConnection] = [:]
    /// Loops over `sessionsByID.values` may finish sessions, which leaves the table: the
    /// loop walks the values as they were (the dictionary is copied on that first removal).
    private var sessionsByID: [String: Session] = [:]
    private var sessionsByAddress: [SocketAddress: PeerConnection] = [:]
    private var addressesBySession: [String: [SocketAddress]] = [:]
    private(set) var counters = TransportCounters()
    private var context: ChannelHandlerContext?
    /// Datagrams written and not yet flushed. Each entry point flushes once at its end, so a
    /// frame's packets to every receiver, or a batch of reads' replies, leave together: NIO
    /// sends several pending datagrams with one sendmmsg instead of a sendmsg each.
    private var unflushed = false
    private let now: @Sendable () -> Duration
    private let logger: Logger

    /// Datagrams above this size are not media (MTU ~1500) and are dropped unread.
    static let maxDatagram = 2048

    init(now: @escaping @Sendable () -> Duration, logger: Logger) {
        self.now = now
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    var sessionCount: Int { sessionsByID.count }

    func add(_ connection: PeerConnection) {
        sessionsByUfrag[connection.localICE.ufrag] = connection
        sessionsByID[connection.id] = Session(connection: connection)
    }

    /// A session, and its selected remote address as NIO needs it: converted once per change
    /// of the selected pair rather than once per frame sent. A class, so the frame path finds
    /// both with one table lookup and updates the cache in place.
    private final class Session {
        let connection: PeerConnection
        private var selected: (address: STUNTransportAddress, socket: SocketAddress)?

        init(connection: PeerConnection) { self.connection = connection }

        /// Where the session's datagrams go: its selected pair's remote address, nil before
        /// ICE selected one.
        var remote: SocketAddress? {
            guard let address = connection.ice.selected else { return nil }
            if let selected, selected.address == address { return selected.socket }
            guard let socket = SocketAddress(address) else { return nil }
            selected = (address, socket)
            return socket
        }
    }

    func session(id: String) -> PeerConnection? { sessionsByID[id]?.connection }

    /// ICE restart of a session; returns our new credentials, nil for an unknown session.
    func restartICE(id: String, remote: ICECredentials) -> ICECredentials? {
        guard let connection = session(id: id) else { return nil }
        sessionsByUfrag[connection.localICE.ufrag] = nil
        let local = connection.restartICE(remote: remote, now: now())
        sessionsByUfrag[local.ufrag] = connection
        return local
    }

    func remoteICE(id: String) -> ICECredentials? { session(id: id)?.remoteICE }

    func close(id: String, reason: CloseReason) {
        guard let connection = session(id: id) else { return }
        finish(connection, reason: reason)
        flush()
    }

    func closeAll(reason: CloseReason) {
        for session in sessionsByID.values { finish(session.connection, reason: reason) }
        flush()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flush()
        context.fireChannelReadComplete()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let length = envelope.data.readableBytes
        counters.bytesIn += length
        guard length <= Self.maxDatagram else { return counters.drop(.tooLarge) }
        var bytes = envelope.data.getBytes(at: envelope.data.readerIndex, length: length) ?? []
        let remote = envelope.remoteAddress
        switch PacketClass(bytes) {
        case .stun:
            counters.stunIn += 1
            handleSTUN(bytes, from: remote)
        case .dtls:
            counters.dtlsIn += 1
            guard let connection = sessionsByAddress[remote] else { return counters.drop(.dtlsBeforeICE) }
            apply(connection.handleDTLS(bytes, counters: &counters), for: connection, to: remote)
        case .rtp:
            counters.rtpIn += 1
            guard let connection = sessionsByAddress[remote] else { return counters.drop(.unknownSession) }
            connection.handleRTP(&bytes, now: now(), counters: &counters)
        case .rtcp:
            counters.rtcpIn += 1
            guard let connection = sessionsByAddress[remote] else { return counters.drop(.unknownSession) }
            apply(connection.handleRTCP(&bytes, now: now(), counters: &counters), for: connection, to: remote)
        case .unknown:
            counters.drop(.unknownClass)
        }
    }

    private func handleSTUN(_ bytes: [UInt8], from remote: SocketAddress) {
        guard let message = try? STUNMessage(parsing: bytes), let address = STUNTransportAddress(remote) else {
            return counters.drop(.malformedSTUN)
        }
        guard let ufrag = ICELiteAgent.localUfrag(of: message), let connection = sessionsByUfrag[String(ufrag)] else {
            return counters.drop(.unknownSession)
        }
        let reply = connection.handleSTUN(message, from: address, now: now(), counters: &counters)
        if reply.validatedAddress != nil, sessionsByAddress[remote] !== connection {
            sessionsByAddress[remote] = connection
            addressesBySession[connection.id, default: []].append(remote)
        }
        apply(reply, for: connection, to: remote)
    }

    private func apply(_ reply: PeerConnection.Reply, for connection: PeerConnection, to remote: SocketAddress) {
        for datagram in reply.datagrams { write(datagram, to: remote) }
        if let reason = reply.close { finish(connection, reason: reason) }
    }

    /// Runs timers of every session: DTLS retransmission and consent freshness.
    func tick() {
        let time = now()
        for session in sessionsByID.values {
            let connection = session.connection
            let reply = connection.tick(now: time, counters: &counters)
            if let remote = session.remote {
                for datagram in reply.datagrams { write(datagram, to: remote) }
            }
            if let reason = reply.close { finish(connection, reason: reason) }
        }
        flush()
    }

    /// Packetizes, encrypts and sends a frame to `sessionID`'s selected address; false when
    /// the session is unknown, not connected, or does not receive this kind.
    func send(_ frame: OutboundFrame, sessionID: String) -> Bool {
        defer { flush() }
        return write(frame, sessionID: sessionID)
    }

    /// Sends a frame to each of `sessionIDs` (a room's fan-out), all its datagrams in one flush.
    func send(_ frame: OutboundFrame, to sessionIDs: [String]) {
        for id in sessionIDs { _ = write(frame, sessionID: id) }
        flush()
    }

    private func write(_ frame: OutboundFrame, sessionID: String) -> Bool {
        guard let session = sessionsByID[sessionID], let remote = session.remote else { return false }
        let connection = session.connection
        let datagrams = connection.send(frame, now: now(), counters: &counters)
        for datagram in datagrams { write(datagram, to: remote) }
        return !datagrams.isEmpty
    }

    func requestKeyframe(sessionID: String) {
        session(id: sessionID)?.requestKeyframe()
    }

    func deliverFrames(sessionID: String, to sink: @escaping @Sendable (InboundFrame) -> Void) {
        session(id: sessionID)?.deliverFrames(to: sink)
    }

    private func finish(_ connection: PeerConnection, reason: CloseReason) {
        let goodbye = connection.close(reason)
        if let remote = sessionsByID[connection.id]?.remote {
            for datagram in goodbye { write(datagram, to: remote) }
        }
        sessionsByUfrag[connection.localICE.ufrag] = nil
        sessionsByID[connection.id] = nil
        for address in addressesBySession.removeValue(forKey: connection.id) ?? [] where sessionsByAddress[address] === connection {
            sessionsByAddress[address] = nil
        }
    }

    private func write(_ datagram: [UInt8], to remote: SocketAddress) {
        guard let context else { return }
        counters.datagramsOut += 1
        counters.bytesOut += datagram.count
        let buffer = context.channel.allocator.buffer(bytes: datagram)
        context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: remote, data: buffer)), promise: nil)
        unflushed = true
    }

    private func flush() {
        guard unflushed, let context else { return }
        unflushed = false
        counters.sendBatches += 1
        context.flush()
    }

    func packetsReceived(sessionID: String) -> [UInt32: Int64] {
        session(id: sessionID)?.packetsReceivedBySSRC ?? [:]
    }
}

extension STUNTransportAddress {
    /// The address of a NIO socket address (IPv4 or IPv6), nil for Unix sockets.
    init?(_ socket: SocketAddress) {
        guard let text = socket.ipAddress, let port = socket.port, let address = IPAddress(text) else { return nil }
        self.init(address: address, port: UInt16(port))
    }
}

extension SocketAddress {
    init?(_ address: STUNTransportAddress) {
        guard let socket = try? SocketAddress(ipAddress: address.address.description, port: Int(address.port)) else { return nil }
        self = socket
    }
}
