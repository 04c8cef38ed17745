internal import COpenSSL

/// One DTLS-SRTP association with one peer (RFC 6347 DTLS 1.2, RFC 5763/5764 DTLS-SRTP), as a
/// state machine over OpenSSL: feed it datagrams and timer expiries, send what it returns.
///
/// It does no I/O and keeps no timer: after every call the owner arms its own (injectable)
/// clock for `nextTimeout()` and calls `handleTimeout()` when it fires. OpenSSL 3.0 still checks
/// expiry against the wall clock, so `handleTimeout()` called early is a no-op.
///
/// Errors never escape as crashes: malformed datagrams are dropped by OpenSSL or end the
/// association with `.failed`; the OpenSSL error queue is empty after every call.
///
/// Not Sendable: the `SSL` it owns stays on the owner's executor.
public final class DTLSEndpoint {
    /// Application records read per `receive(_:)`; the rest stay buffered in OpenSSL until the
    /// next call. A 1200-byte datagram holds at most about 30 records.
    static let recordsPerCallLimit = 64
    /// The largest DTLS plaintext record (RFC 6347 §4.1, 2^14).
    public static let maxApplicationDataLength = 16_384

    public let role: DTLSRole
    public let expectedPeerFingerprint: DTLSFingerprint
    public private(set) var state: DTLSState = .idle

    private let context: DTLSContext
    private let ssl: OpaquePointer
    private let pipe: DTLSDatagramPipe
    private var readBuffer: [UInt8]

    /// - Parameters:
    ///   - role: `.server` for `a=setup:passive` (wait for the ClientHello), `.client` for `active`.
    ///   - certificate: our certificate, whose fingerprint went into our SDP.
    ///   - expectedPeerFingerprint: the peer's `a=fingerprint` from its SDP.
    ///   - srtpProfiles: offered (client) or accepted (server) profiles, in preference order.
    ///   - mtu: the largest datagram to send, in UDP payload bytes (at least 256).
    ///   - initialRetransmitTimeout: the first handshake retransmission timeout; it doubles on each
    ///     expiry up to 60 s (RFC 6347 §4.2.4.1).
    public init(
        role: DTLSRole,
        certificate: DTLSCertificate,
        expectedPeerFingerprint: DTLSFingerprint,
        srtpProfiles: [DTLSSRTPProfile] = DTLSSRTPProfile.webRTCDefault,
        mtu: Int = 1200,
        initialRetransmitTimeout: Duration = .seconds(1)
    ) throws(DTLSError) {
        defer { ERR_clear_error() }
        let context = try DTLSContext(
            certificate: certificate, srtpProfiles: srtpProfiles, expectedPeerFingerprint: expectedPeerFingerprint)
        let ssl = try check(SSL_new(context.pointer), .configuration, "SSL_new")
        self.role = role
        self.expectedPeerFingerprint = expectedPeerFingerprint
        self.context = context
        self.ssl = ssl
        self.pipe = DTLSDatagramPipe()
        self.readBuffer = [UInt8](repeating: 0, count: Self.maxApplicationDataLength)
        // From here on `deinit` frees `ssl` if setup throws.

        let bio = try pipe.makeBIO()
        SSL_set_bio(ssl, bio, bio)
        switch role {
        case .client: SSL_set_connect_state(ssl)
        case .server: SSL_set_accept_state(ssl)
        }
        try check(tessera_DTLS_set_link_mtu(ssl, mtu), .configuration, "DTLS_set_link_mtu(\(mtu))")

        // The timer callback reads the initial timeout (µs) from ex_data slot 0 (the "app data").
        let (seconds, attoseconds) = initialRetransmitTimeout.components
        let microseconds = min(max(seconds * 1_000_000 + attoseconds / 1_000_000_000_000, 1_000), 60_000_000)
        try check(
            SSL_set_ex_data(ssl, 0, UnsafeMutableRawPointer(bitPattern: Int(microseconds))), .configuration,
            "SSL_set_ex_data")
        DTLS_set_timer_cb(ssl) { ssl, previous in
            // RFC 6347 §4.2.4.1: start at the configured value, double on expiry, cap at 60 s.
            guard previous > 0 else { return UInt32(UInt(bitPattern: SSL_get_ex_data(ssl, 0))) }
            return min(previous &* 2, 60_000_000)
        }
    }

    deinit {
        SSL_free(ssl)  // frees the BIO too; `pipe` is released after this body
    }

    /// Begins the handshake: a client returns its ClientHello, a server returns nothing and waits.
    public func start() -> [[UInt8]] {
        guard case .idle = state else { return [] }
        state = .handshaking
        guard role == .client else { return [] }
        ERR_clear_error()
        defer { ERR_clear_error() }
        _ = driveHandshake()
        return pipe.takeOutbound()
    }

    /// Processes one datagram the demux classified as DTLS (RFC 7983: first byte 20–63).
    ///
    /// If one datagram both completes the handshake and carries close_notify, `event` is the
    /// later `.closed`.
    public func receive(_ datagram: [UInt8]) -> DTLSOutput {
        switch state {
        case .closed, .failed: return DTLSOutput()
        case .idle: state = .handshaking
        case .handshaking, .connected: break
        }
        guard !datagram.isEmpty else { return DTLSOutput() }
        ERR_clear_error()
        defer {
            pipe.inbound = nil
            ERR_clear_error()
        }
        pipe.inbound = datagram
        var output = DTLSOutput()
        if case .handshaking = state {
            output.event = driveHandshake()
        }
        if case .connected = state {
            readApplicationData(into: &output)
        }
        output.datagrams = pipe.takeOutbound()
        return output
    }

    /// How long after this call the owner should call `handleTimeout()`, or nil when no
    /// handshake flight awaits an answer (from `DTLSv1_get_timeout`).
    public func nextTimeout() -> Duration? {
        guard case .handshaking = state else { return nil }
        var microseconds: Int64 = 0
        guard tessera_DTLSv1_get_timeout(ssl, &microseconds) == 1 else { return nil }
        return .microseconds(microseconds)
    }

    /// Retransmits the last flight if its timer expired (`DTLSv1_handle_timeout`). After too many
    /// expiries the state becomes `.failed` with kind `.timeout`.
    public func handleTimeout() -> [[UInt8]] {
        guard case .handshaking = state else { return [] }
        ERR_clear_error()
        defer { ERR_clear_error() }
        if tessera_DTLSv1_handle_timeout(ssl) < 0 {
            _ = fail(DTLSError.openSSL(.timeout, "DTLSv1_handle_timeout: the peer stopped answering"))
        }
        return pipe.takeOutbound()
    }

    /// Encrypts application data (an SCTP packet) into one record.
    public func send(_ applicationData: [UInt8]) throws(DTLSError) -> [[UInt8]] {
        guard case .connected = state else {
            throw DTLSError(.notConnected, "cannot send application data in state \(state)")
        }
        guard applicationData.count <= Self.maxApplicationDataLength else {
            throw DTLSError(.messageTooLong, "\(applicationData.count) bytes exceed one DTLS record")
        }
        guard !applicationData.isEmpty else { return [] }
        ERR_clear_error()
        defer { ERR_clear_error() }
        let written = SSL_write(ssl, applicationData, Int32(applicationData.count))
        guard written == Int32(applicationData.count) else {
            let error = DTLSError.openSSL(
                .connectionFailed, "SSL_write failed (SSL_get_error \(SSL_get_error(ssl, written)))")
            _ = fail(error)
            throw error
        }
        return pipe.takeOutbound()
    }

    /// Sends close_notify when connected (not waiting for the peer's, RFC 5246 §7.2.1) and ends
    /// the association; later input is ignored.
    public func close() -> [[UInt8]] {
        switch state {
        case .closed, .failed: return []
        case .idle, .handshaking, .connected: break
        }
        state = .closed
        // OpenSSL cannot send close_notify in the middle of a handshake.
        guard SSL_is_init_finished(ssl) == 1 else { return [] }
        ERR_clear_error()
        defer { ERR_clear_error() }
        _ = SSL_shutdown(ssl)
        return pipe.takeOutbound()
    }

    // MARK: - Steps

    private func driveHandshake() -> DTLSEvent {
        let result = SSL_do_handshake(ssl)
        guard result == 1 else { return outcome(of: result, "SSL_do_handshake", .handshakeFailed) }
        return completeHandshake()
    }

    /// RFC 5763 §5: the peer certificate must match the SDP fingerprint before any key is used.
    private func completeHandshake() -> DTLSEvent {
        do throws(DTLSError) {
            let connection = try makeConnection()
            state = .connected(connection)
            return .connected(connection)
        } catch {
            _ = SSL_shutdown(ssl)  // tell the peer, which may already consider itself connected
            return fail(error)
        }
    }

    private func makeConnection() throws(DTLSError) -> DTLSConnection {
        guard let peer = SSL_get1_peer_certificate(ssl) else {
            throw DTLSError(.handshakeFailed, "the peer presented no certificate")
        }
        defer { X509_free(peer) }
        let fingerprint = try DTLSFingerprint(algorithm: expectedPeerFingerprint.algorithm, certificate: peer)
        guard fingerprint == expectedPeerFingerprint else {
            throw DTLSError(
                .fingerprintMismatch,
                "peer certificate is \(fingerprint), SDP says \(expectedPeerFingerprint)")
        }

        guard let selected = SSL_get_selected_srtp_profile(ssl) else {
            throw DTLSError(.handshakeFailed, "no SRTP protection profile negotiated (RFC 5764 §4.1.2)")
        }
        let id = UInt16(truncatingIfNeeded: selected.pointee.id)
        guard let profile = DTLSSRTPProfile(rawValue: id) else {
            throw DTLSError(.handshakeFailed, "unsupported SRTP protection profile 0x\(String(id, radix: 16))")
        }

        // RFC 5764 §4.2: keying material from the TLS exporter (RFC 5705), no context.
        let label = "EXTRACTOR-dtls_srtp"
        var material = [UInt8](repeating: 0, count: profile.keyingMaterialLength)
        try check(
            SSL_export_keying_material(ssl, &material, material.count, label, label.utf8.count, nil, 0, 0),
            .handshakeFailed, "SSL_export_keying_material")
        return DTLSConnection(role: role, srtpProfileID: id, keyingMaterial: material, peerFingerprint: fingerprint)
    }

    private func readApplicationData(into output: inout DTLSOutput) {
        for _ in 0..<Self.recordsPerCallLimit {
            let count = readBuffer.withUnsafeMutableBytes { buffer in
                SSL_read(ssl, buffer.baseAddress, Int32(buffer.count))
            }
            guard count > 0 else {
                let event = outcome(of: count, "SSL_read", .connectionFailed)
                if event != .none { output.event = event }
                return
            }
            output.applicationData.append(Array(readBuffer[0..<Int(count)]))
        }
    }

    /// Classifies a failed `SSL_*` I/O call: waiting for input, the peer's close_notify, or fatal.
    private func outcome(of result: Int32, _ operation: String, _ kind: DTLSError.Kind) -> DTLSEvent {
        let code = SSL_get_error(ssl, result)
        switch code {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return .none
        case SSL_ERROR_ZERO_RETURN:
            _ = SSL_shutdown(ssl)  // answer close_notify with ours
            state = .closed
            return .closed
        default:
            if let mismatch = context.peerCheck.mismatch {
                _ = SSL_shutdown(ssl)
                return fail(DTLSError(.fingerprintMismatch, mismatch))
            }
            let timedOut = ERR_GET_REASON(ERR_peek_error()) == SSL_R_READ_TIMEOUT_EXPIRED
            return fail(DTLSError.openSSL(timedOut ? .timeout : kind, "\(operation) failed (SSL_get_error \(code))"))
        }
    }

    private func fail(_ error: DTLSError) -> DTLSEvent {
        state = .failed(error)
        return .failed(error)
    }
}

@available(*, unavailable)
extension DTLSEndpoint: Sendable {}
