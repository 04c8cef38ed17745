internal import COpenSSL

/// The one error type of the DTLS layer: what failed (`kind`) and why (`message`, with the
/// OpenSSL error queue text from `ERR_error_string_n` where OpenSSL reported one).
public struct DTLSError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Generating or loading the certificate or its key failed.
        case certificate
        /// Setting up the OpenSSL context or session failed.
        case configuration
        /// An SDP `a=fingerprint` value is malformed (RFC 8122 §5).
        case invalidFingerprint
        /// The handshake failed: a malformed or unexpected message, an alert from the peer,
        /// no shared cipher suite or SRTP protection profile.
        case handshakeFailed
        /// The peer certificate does not match the fingerprint from the peer's SDP (RFC 5763 §5).
        case fingerprintMismatch
        /// The peer stopped answering: OpenSSL gave up retransmitting (RFC 6347 §4.2.4).
        case timeout
        /// A fatal error on an established connection.
        case connectionFailed
        /// The call needs a connected endpoint.
        case notConnected
        /// The application data does not fit in one DTLS record (2^14 bytes, RFC 6347 §4.1).
        case messageTooLong
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "DTLS \(kind): \(message)" }

    /// An error of `kind` for `context`, carrying (and emptying) this thread's OpenSSL error queue.
    static func openSSL(_ kind: Kind, _ context: String) -> DTLSError {
        var reasons: [String] = []
        var buffer = [CChar](repeating: 0, count: 256)
        // The queue is bounded by OpenSSL (ERR_NUM_ERRORS = 16); the cap only guards the loop.
        for _ in 0..<16 {
            let code = ERR_get_error()
            if code == 0 { break }
            reasons.append(buffer.withUnsafeMutableBufferPointer { chars in
                ERR_error_string_n(code, chars.baseAddress, chars.count)
                return String(cString: chars.baseAddress!)
            })
        }
        ERR_clear_error()
        return DTLSError(kind, reasons.isEmpty ? context : "\(context): \(reasons.joined(separator: "; "))")
    }
}

/// Checks an OpenSSL call that returns 1 on success.
func check(_ result: Int32, _ kind: DTLSError.Kind, _ context: @autoclosure () -> String) throws(DTLSError) {
    guard result == 1 else { throw DTLSError.openSSL(kind, context()) }
}

/// Checks an OpenSSL call that returns a pointer, nil on failure.
func check<Pointer>(_ pointer: Pointer?, _ kind: DTLSError.Kind, _ context: @autoclosure () -> String)
    throws(DTLSError) -> Pointer
{
    guard let pointer else { throw DTLSError.openSSL(kind, context()) }
    return pointer
}
