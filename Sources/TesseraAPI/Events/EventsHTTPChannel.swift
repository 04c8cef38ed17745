import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket
import Synchronization

/// Tessera's HTTP/1.1 connections: what Hummingbird's `HTTP1Channel` does, plus the upgrade
/// of the events route to a WebSocket (RFC 6455 §4.2).
///
/// HummingbirdWebSocket's upgrade channel answers every refused upgrade with an empty 400,
/// but the API promises its JSON errors there (401, 403, 404). Here the router answers a
/// refused upgrade like any other request, and the events route gives the error. (NIO's
/// upgrade handler keeps the head of a request that asks to upgrade, to any protocol, and
/// passes nothing on when it does not upgrade; `FirstRequestHead` notes the head so it can
/// still be answered.) An accepted upgrade subscribes before the 101 goes out, so the client
/// misses nothing published after its handshake.
struct EventsHTTPChannel: ServerChildChannel, HTTPChannelHandler {
    /// Decides an upgrade request: a subscription to send on the socket, or nil to refuse.
    typealias Accept = @Sendable (HTTPRequest) async -> EventSubscription?

    enum Negotiated: Sendable {
        case webSocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, EventSubscription)
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
    }

    struct Value: ServerChildChannelValue {
        let negotiated: EventLoopFuture<Negotiated>
        let connection: ConnectionState
        let channel: any Channel
    }

    let responder: HTTPChannelHandler.Responder
    let accept: Accept
    let hub: RoomEvents
    let http1 = HTTP1Channel.Configuration()

    /// The largest frame a client may send: it only sends control frames (RFC 6455 §5.5: at
    /// most 125 bytes of payload).
    static let maxFrameSize = 4096

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let connection = ConnectionState()
            let accept = self.accept
            let upgrader = NIOTypedWebSocketServerUpgrader<Negotiated>(
                maxFrameSize: Self.maxFrameSize,
                shouldUpgrade: { channel, head in
                    channel.eventLoop.makeFutureWithTask { () -> HTTPHeaders? in
                        guard let request = try? HTTPRequest(head, secure: false, splitCookie: false),
                            let subscription = await accept(request)
                        else { return nil }
                        connection.setPending(subscription)
                        return HTTPHeaders()
                    }
                },
                upgradePipelineHandler: { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        guard let subscription = connection.takePending() else { throw ChannelError.inappropriateOperationForState }
                        return .webSocket(try NIOAsyncChannel(wrappingChannelSynchronously: channel), subscription)
                    }
                })
            let http1 = self.http1
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration(
                upgradeConfiguration: NIOTypedHTTPServerUpgradeConfiguration<Negotiated>(
                    upgraders: [upgrader],
                    notUpgradingCompletionHandler: { channel in
                        // As HTTP1Channel sets up its pipeline after the HTTP codec.
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                            try channel.pipeline.syncOperations.addHandlers(http1.additionalChannelHandlers())
                            try channel.pipeline.syncOperations.addHandler(
                                HTTPConnectionStateHandler(idleTimeout: http1.idleTimeout.map { .init($0) }, logger: logger))
                            try channel.pipeline.syncOperations.addHandler(
                                CloseAfterUpgradeRequest(swallowedFirst: connection.firstHeadAskedToUpgrade))
                            return .http(
                                try NIOAsyncChannel(
                                    wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true)))
                        }
                    }))
            configuration.enablePipelining = false  // NIOAsyncChannel serialises requests
            configuration.enableErrorHandling = false  // Hummingbird answers errors
            configuration.enableResponseHeaderValidation = false  // HTTPTypes validated them
            configuration.decoderConfiguration.maxHeaderFieldSize = http1.httpDecoder.maxHeaderFieldSize
            configuration.decoderConfiguration.maxHeaderListSize = http1.httpDecoder.maxHeaderListSize
            configuration.decoderConfiguration.maxHeaderFieldCount = http1.httpDecoder.maxHeaderFieldCount
            let negotiated = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: configuration)
            let upgradeHandler = try channel.pipeline.syncOperations.handler(type: NIOTypedHTTPServerUpgradeHandler<Negotiated>.self)
            try channel.pipeline.syncOperations.addHandler(FirstRequestHead(connection), position: .before(upgradeHandler))
            return Value(negotiated: negotiated, connection: connection, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        // An upgrade accepted but never completed (the connection failed in between) must
        // not leave its subscription fed forever.
        defer { value.connection.takePending().map { hub.unsubscribe($0) } }
        do {
            switch try await value.negotiated.get() {
            case .http(let http):
                if value.connection.firstHeadAskedToUpgrade, let head = value.connection.firstHead {
                    await answerRefusedUpgrade(head, on: http, logger: logger)
                } else {
                    await handleHTTP(asyncChannel: http, logger: logger)
                }
            case .webSocket(let socket, let subscription):
                await EventsSocket.run(socket, subscription: subscription, hub: hub, logger: logger)
            }
        } catch {
            logger.debug("connection ended before its first request was answered", metadata: ["error": "\(error)"])
            try? await value.channel.close()
        }
    }

    /// Runs the router on the request that asked to upgrade and did not, then closes.
    private func answerRefusedUpgrade(
        _ head: HTTPRequestHead, on http: NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, logger: Logger
    ) async {
        do {
            try await http.executeThenClose { _, outbound in
                let request = Request(
                    head: try HTTPRequest(head, secure: false, splitCookie: false), body: RequestBody(buffer: ByteBuffer()))
                try await responder(request, ResponseWriter(outbound: outbound), http.channel)
            }
        } catch {
            logger.debug("could not answer a refused upgrade", metadata: ["error": "\(error)"])
        }
    }
}

/// What one connection's upgrade negotiation leaves for `handle`.
final class ConnectionState: Sendable {
    private let state = Mutex<(firstHead: HTTPRequestHead?, pending: EventSubscription?)>((nil, nil))

    /// The head of the connection's first request.
    var firstHead: HTTPRequestHead? { state.withLock { $0.firstHead } }

    /// NIO's upgrade handler kept this request for itself (it asked to upgrade, to any protocol).
    var firstHeadAskedToUpgrade: Bool { firstHead.map { !$0.headers[canonicalForm: "upgrade"].isEmpty } ?? false }

    func noteFirstHead(_ head: HTTPRequestHead) { state.withLock { $0.firstHead = $0.firstHead ?? head } }

    /// The subscription an accepted upgrade made, from the decision until the socket takes it.
    func setPending(_ subscription: EventSubscription) { state.withLock { $0.pending = subscription } }

    func takePending() -> EventSubscription? { state.withLock { $0.pending.take() } }
}
