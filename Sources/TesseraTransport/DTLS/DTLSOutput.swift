/// What one `DTLSEndpoint.receive(_:)` call asks its owner to do.
public struct DTLSOutput: Sendable, Hashable {
    /// Datagrams to send to the peer, in order, each at most the endpoint's MTU during the handshake.
    public var datagrams: [[UInt8]]
    /// The state change this datagram caused, if any.
    public var event: DTLSEvent
    /// Decrypted application data records (SCTP packets for data channels), in order.
    public var applicationData: [[UInt8]]

    public init(datagrams: [[UInt8]] = [], event: DTLSEvent = .none, applicationData: [[UInt8]] = []) {
        self.datagrams = datagrams
        self.event = event
        self.applicationData = applicationData
    }
}

/// A state change of a `DTLSEndpoint`. Each of `.connected`, `.closed` and `.failed` is reported
/// once; after `.closed` or `.failed` the endpoint ignores further input.
public enum DTLSEvent: Sendable, Hashable {
    case none
    /// The handshake completed and the peer certificate matched its SDP fingerprint.
    case connected(DTLSConnection)
    /// The peer sent close_notify (RFC 5246 §7.2.1); it has been answered with ours.
    case closed
    case failed(DTLSError)
}
