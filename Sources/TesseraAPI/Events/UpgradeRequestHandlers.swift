import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

// Two handlers for the HTTP side of `EventsHTTPChannel`, both about how NIO treats a
// request that asks to upgrade.

/// Notes the head of the connection's first request on its way to the upgrade handler,
/// then leaves the pipeline.
final class FirstRequestHead: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    private let connection: ConnectionState

    init(_ connection: ConnectionState) { self.connection = connection }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let head) = unwrapInboundIn(data) else { return context.fireChannelRead(data) }
        connection.noteFirstHead(head)
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}

/// Ends the connection after the response to a request that asked to upgrade and did not:
/// NIO's HTTP decoder parses nothing after such a request (RFC 9112 §9.6: the response says
/// `Connection: close`). That is the first request when the upgrade was refused, or a later
/// one of a keep-alive connection, which cannot upgrade.
final class CloseAfterUpgradeRequest: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var closing: Bool

    init(swallowedFirst: Bool) { closing = swallowedFirst }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data), head.headerFields[.upgrade] != nil { closing = true }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard closing else { return context.write(data, promise: promise) }
        switch unwrapOutboundIn(data) {
        case .head(var head):
            head.headerFields[.connection] = "close"
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            context.writeAndFlush(data, promise: promise)
            context.close(promise: nil)
        }
    }
}
