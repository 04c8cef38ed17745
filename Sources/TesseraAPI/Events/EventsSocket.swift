import Logging
import NIOCore
import NIOWebSocket
import ServiceLifecycle
import Synchronization

/// One events WebSocket after the upgrade (RFC 6455). The socket only sends: the room's
/// snapshot when one was asked for, then each event of the subscription as one text frame
/// holding one JSON object, in publish order. Client
/// data frames are read and ignored, pings answered (§5.5.2), a close echoed (§5.5.1).
/// When the subscription ends the server closes the socket: 1000 when the room was
/// deleted, 1001 on shutdown. A ping every `pingInterval` keeps idle sockets open through
/// proxies; a client that answers nothing for a whole interval is disconnected.
enum EventsSocket {
    struct Timing: Sendable {
        var pingInterval: Duration = .seconds(30)
        /// How long a server-initiated close waits for the client's close frame (§7.1.1:
        /// the server closes TCP first).
        var closeTimeout: Duration = .seconds(5)
    }

    static func run(
        _ channel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, subscription: EventSubscription, hub: RoomEvents,
        timing: Timing = Timing(), logger: Logger
    ) async {
        defer { hub.unsubscribe(subscription) }
        let state = SocketState()
        do {
            try await channel.executeThenClose { inbound, outbound in
                try await withGracefulShutdownHandler {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { try await receive(inbound, outbound, state) }
                        group.addTask { try await send(subscription, outbound, state, closeTimeout: timing.closeTimeout) }
                        group.addTask { try await ping(outbound, state, every: timing.pingInterval) }
                        // The first to finish ends the socket: the client closed or vanished,
                        // the server's close was answered or timed out, or a ping went unanswered.
                        try await group.next()
                        group.cancelAll()
                    }
                } onGracefulShutdown: {
                    hub.unsubscribe(subscription, reason: .shutdown)
                }
            }
        } catch {
            logger.debug("events socket ended", metadata: ["room": "\(subscription.roomId)", "error": "\(error)"])
        }
        if subscription.droppedCount > 0 {
            logger.notice(
                "events socket read too slowly: oldest events dropped",
                metadata: ["room": "\(subscription.roomId)", "dropped": "\(subscription.droppedCount)"])
        }
    }

    /// Reads until the client's close or the end of the connection.
    private static func receive(
        _ inbound: NIOAsyncChannelInboundStream<WebSocketFrame>, _ outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>,
        _ state: SocketState
    ) async throws {
        for try await frame in inbound {
            state.heard()
            switch frame.opcode {
            case .ping:
                try await outbound.write(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData))
            case .connectionClose:
                if state.claimClose() {
                    // Echo the status code the client sent, if any (§5.5.1).
                    var data = frame.unmaskedData
                    let code = data.readSlice(length: 2) ?? ByteBuffer()
                    try await outbound.write(WebSocketFrame(fin: true, opcode: .connectionClose, data: code))
                }
                return
            default:
                continue
            }
        }
    }

    /// Sends the events; when they end, closes and waits for the client's answer.
    private static func send(
        _ subscription: EventSubscription, _ outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>, _ state: SocketState,
        closeTimeout: Duration
    ) async throws {
        var snapshot = subscription.takeSnapshot()
        for event in snapshot?.events ?? [] {
            try await outbound.write(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: event.json.serialized)))
        }
        for await event in subscription.events {
            guard snapshot?.shouldSend(event) ?? true else { continue }
            try await outbound.write(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: event.json.serialized)))
        }
        guard !Task.isCancelled else { return }
        if state.claimClose() {
            let (code, reason): (WebSocketErrorCode, String) =
                subscription.end == .roomDeleted ? (.normalClosure, "room deleted") : (.goingAway, "server shutting down")
            var data = ByteBuffer()
            data.write(webSocketErrorCode: code)
            data.writeString(reason)
            try await outbound.write(WebSocketFrame(fin: true, opcode: .connectionClose, data: data))
        }
        try await Task.sleep(for: closeTimeout)
    }

    /// Pings every `interval`; returns (ending the socket) when the client stayed silent
    /// for a whole interval after a ping.
    private static func ping(_ outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>, _ state: SocketState, every interval: Duration)
        async throws
    {
        while true {
            try await Task.sleep(for: interval)
            if state.takeUnanswered() { return }
            try await outbound.write(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer(string: "tessera")))
        }
    }
}

/// What the socket's reader, sender and pinger share.
private final class SocketState: Sendable {
    private let closeSent = Atomic<Bool>(false)
    /// Set by each ping, cleared by any frame from the client.
    private let awaitingAnswer = Atomic<Bool>(false)

    /// True for the one caller that may send the close frame.
    func claimClose() -> Bool { closeSent.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged }

    func heard() { awaitingAnswer.store(false, ordering: .relaxed) }

    /// True if the previous ping got no answer; arms the check for the next one.
    func takeUnanswered() -> Bool { awaitingAnswer.exchange(true, ordering: .relaxed) }
}
