/// Where a `DTLSEndpoint` is in its life.
public enum DTLSState: Sendable, Hashable {
    /// Created; a client has not sent its ClientHello, a server has not received one.
    case idle
    case handshaking
    case connected(DTLSConnection)
    case closed
    case failed(DTLSError)
}
