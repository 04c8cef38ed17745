import CSRTP

/// One peer's SRTP/SRTCP state (RFC 3711): an inbound libsrtp context that unprotects what the
/// peer sends, and an outbound one that protects what we send.
///
/// Both contexts use wildcard SSRC templates, so every SSRC the peer uses (or we send) gets its
/// own stream, rollover counter and replay window. A libsrtp handle is not thread-safe: the
/// session is not `Sendable` and stays on the event loop that owns the peer.
public final class SRTPSession {
    /// Bytes of room the protect calls need after a packet: libsrtp may write a tag and an MKI
    /// of up to `SRTP_MAX_TRAILER_LEN` bytes, plus the 4-byte E‖SRTCP index for RTCP.
    /// A buffer with this much spare capacity is protected without reallocating.
    public static let trailerCapacity = Int(SRTP_MAX_TRAILER_LEN) + 4

    /// Largest plaintext packet accepted for protection (an Ethernet MTU payload).
    public static let maximumPlaintextLength = 1500

    /// Largest protected packet accepted for unprotection.
    public static let maximumProtectedLength = maximumPlaintextLength + trailerCapacity

    /// Replay window, in packets, of every inbound stream (RFC 3711 §3.3.2; libsrtp default is 128).
    static let replayWindowSize = 1024

    public let profile: SRTPProfile
    private let inbound: srtp_t
    private let outbound: srtp_t

    /// A session that unprotects with `inbound` keys and protects with `outbound` keys.
    ///
    /// Outbound allows re-protecting a packet index already sent, so NACKed packets can be
    /// retransmitted from the send history; they must carry the same payload.
    public init(profile: SRTPProfile, inbound: SRTPMasterKeys, outbound: SRTPMasterKeys) throws(SRTPError) {
        try SRTPLibrary.initialize()
        guard inbound.fits(profile), outbound.fits(profile) else {
            throw SRTPError(.badInput, "master key or salt length does not match the profile")
        }
        let inboundContext = try Self.makeContext(profile: profile, keys: inbound, outbound: false)
        let outboundContext: srtp_t
        do {
            outboundContext = try Self.makeContext(profile: profile, keys: outbound, outbound: true)
        } catch {
            srtp_dealloc(inboundContext)
            throw error
        }
        self.profile = profile
        self.inbound = inboundContext
        self.outbound = outboundContext
    }

    deinit {
        srtp_dealloc(inbound)
        srtp_dealloc(outbound)
    }

    /// Encrypts and authenticates an RTP packet in place; on return `packet` holds the SRTP packet.
    public func protectRTP(_ packet: inout [UInt8]) throws(SRTPError) {
        try transform(&packet, .protectRTP)
    }

    /// Verifies and decrypts an SRTP packet in place; on return `packet` holds the RTP packet.
    /// On failure the contents are unspecified and the packet must be dropped.
    public func unprotectRTP(_ packet: inout [UInt8]) throws(SRTPError) {
        try transform(&packet, .unprotectRTP)
    }

    /// Encrypts and authenticates a (compound) RTCP packet in place (RFC 3711 §3.4).
    public func protectRTCP(_ packet: inout [UInt8]) throws(SRTPError) {
        try transform(&packet, .protectRTCP)
    }

    /// Verifies and decrypts an SRTCP packet in place. On failure the packet must be dropped.
    public func unprotectRTCP(_ packet: inout [UInt8]) throws(SRTPError) {
        try transform(&packet, .unprotectRTCP)
    }

    // MARK: - Packet path

    private func transform(_ packet: inout [UInt8], _ operation: Operation) throws(SRTPError) {
        let length = packet.count
        guard length >= operation.minimumLength else { throw SRTPError(.badInput, operation.tooShort) }
        guard length <= operation.maximumLength else { throw SRTPError(.badInput, operation.tooLong) }

        // libsrtp writes the trailer past `length`: give it zeroed room inside the array.
        let room = operation.trailerRoom
        if room > 0 {
            packet.append(contentsOf: repeatElement(0, count: room))
        }
        var cLength = Int32(length)
        let context = operation.isOutbound ? outbound : inbound
        let status = packet.withUnsafeMutableBytes { bytes in
            switch operation {
            case .protectRTP: srtp_protect(context, bytes.baseAddress, &cLength)
            case .unprotectRTP: srtp_unprotect(context, bytes.baseAddress, &cLength)
            case .protectRTCP: srtp_protect_rtcp(context, bytes.baseAddress, &cLength)
            case .unprotectRTCP: srtp_unprotect_rtcp(context, bytes.baseAddress, &cLength)
            }
        }
        guard status == srtp_err_status_ok else {
            packet.removeLast(room)
            try SRTPLibrary.check(status, operation.context)
            return
        }
        // libsrtp never reports a length outside [0, length + room]; trust but verify.
        let newLength = Int(cLength)
        guard newLength >= 0, newLength <= packet.count else {
            packet.removeLast(room)
            throw SRTPError(.libraryFailure(code: -1), "libsrtp reported an impossible length")
        }
        packet.removeLast(packet.count - newLength)
    }

    private enum Operation {
        case protectRTP, unprotectRTP, protectRTCP, unprotectRTCP

        var isOutbound: Bool {
            switch self {
            case .protectRTP, .protectRTCP: true
            case .unprotectRTP, .unprotectRTCP: false
            }
        }

        /// The fixed RTP header (RFC 3550 §5.1) or the RTCP header plus SSRC (RFC 3550 §6.4).
        var minimumLength: Int {
            switch self {
            case .protectRTP, .unprotectRTP: 12
            case .protectRTCP, .unprotectRTCP: 8
            }
        }

        var maximumLength: Int {
            isOutbound ? SRTPSession.maximumPlaintextLength : SRTPSession.maximumProtectedLength
        }

        var trailerRoom: Int { isOutbound ? SRTPSession.trailerCapacity : 0 }

        var context: String {
            switch self {
            case .protectRTP: "protect RTP"
            case .unprotectRTP: "unprotect RTP"
            case .protectRTCP: "protect RTCP"
            case .unprotectRTCP: "unprotect RTCP"
            }
        }

        var tooShort: String {
            switch self {
            case .protectRTP, .unprotectRTP: "RTP packet shorter than its 12-byte header"
            case .protectRTCP, .unprotectRTCP: "RTCP packet shorter than 8 bytes"
            }
        }

        var tooLong: String {
            isOutbound ? "packet longer than the maximum plaintext length" : "packet longer than the maximum protected length"
        }
    }

    // MARK: - Set-up

    private static func makeContext(profile: SRTPProfile, keys: SRTPMasterKeys, outbound: Bool) throws(SRTPError) -> srtp_t {
        var policy = srtp_policy_t()
        switch profile {
        case .aes128CmHmacSha1_80:
            // srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80 is a macro for the RTP default.
            srtp_crypto_policy_set_rtp_default(&policy.rtp)
            srtp_crypto_policy_set_rtp_default(&policy.rtcp)
        case .aeadAes128Gcm:
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp)
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp)
        }
        policy.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound
        policy.ssrc.value = 0
        policy.window_size = UInt(replayWindowSize)
        policy.allow_repeat_tx = outbound ? 1 : 0
        policy.next = nil

        // libsrtp wants key ‖ salt in one buffer; it derives the session keys in srtp_create
        // and keeps no pointer to it. The copy is wiped afterwards.
        var keyAndSalt = keys.key + keys.salt
        var context: srtp_t?
        let status = keyAndSalt.withUnsafeMutableBufferPointer { buffer in
            policy.key = buffer.baseAddress
            let status = srtp_create(&context, &policy)
            policy.key = nil
            buffer.update(repeating: 0)
            return status
        }
        try SRTPLibrary.check(status, outbound ? "create outbound SRTP context" : "create inbound SRTP context")
        guard let context else {
            throw SRTPError(.libraryFailure(code: -1), "srtp_create returned no context")
        }
        return context
    }
}

@available(*, unavailable, message: "a libsrtp context must stay on the event loop that owns it")
extension SRTPSession: Sendable {}
