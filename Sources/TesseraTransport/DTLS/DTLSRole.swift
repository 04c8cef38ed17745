/// Which side of the DTLS handshake an endpoint plays (RFC 5763 §5, RFC 4145 `a=setup`).
public enum DTLSRole: Sendable, Hashable {
    /// `a=setup:active`: sends the ClientHello.
    case client
    /// `a=setup:passive`: waits for the ClientHello. Tessera answers WHIP/WHEP offers this way.
    case server
}
