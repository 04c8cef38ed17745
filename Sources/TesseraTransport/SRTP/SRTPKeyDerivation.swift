import COpenSSL

/// The SRTP key derivation function (RFC 3711 §4.3) with key_derivation_rate 0, in Swift over
/// OpenSSL's AES-ECB.
///
/// libsrtp derives its own session keys; this exists so tests (and diagnostics) can check
/// libsrtp's output independently, against RFC 3711 Appendix B.3.
public struct SRTPKeyDerivation: Sendable {
    /// The key derivation labels (RFC 3711 §4.3.2).
    public enum Label: UInt8, Sendable, CaseIterable {
        case rtpEncryption = 0x00
        case rtpAuthentication = 0x01
        case rtpSalt = 0x02
        case rtcpEncryption = 0x03
        case rtcpAuthentication = 0x04
        case rtcpSalt = 0x05
    }

    /// Which protocol's session keys to derive.
    public enum Stream: Sendable {
        case rtp
        case rtcp
    }

    /// Longest output of one derivation: the 16-bit block counter of the PRF bounds it at
    /// 2^16 blocks; nothing in SRTP needs more than a few.
    public static let maximumOutputLength = 1024

    private let masterKey: [UInt8]
    /// The master salt, right-padded with zeros to 112 bits.
    private let paddedSalt: [UInt8]

    /// - Parameters:
    ///   - masterKey: 16, 24 or 32 bytes (AES-128/192/256).
    ///   - masterSalt: 14 bytes, or 12 for AES-GCM (RFC 7714 §11), which is zero-padded to
    ///     112 bits as libsrtp does.
    public init(masterKey: [UInt8], masterSalt: [UInt8]) throws(SRTPError) {
        guard [16, 24, 32].contains(masterKey.count) else {
            throw SRTPError(.badInput, "master key must be 16, 24 or 32 bytes")
        }
        guard masterSalt.count == 14 || masterSalt.count == 12 else {
            throw SRTPError(.badInput, "master salt must be 14 or 12 bytes")
        }
        self.masterKey = masterKey
        self.paddedSalt = masterSalt + [UInt8](repeating: 0, count: 14 - masterSalt.count)
    }

    /// `length` bytes of PRF output for `label` (RFC 3711 §4.3.1, §4.3.3):
    /// x = (label ‖ r) XOR master_salt with r = 0, then AES-CM keystream with IV = x · 2^16.
    public func derive(_ label: Label, length: Int) throws(SRTPError) -> [UInt8] {
        guard length > 0, length <= Self.maximumOutputLength else {
            throw SRTPError(.badInput, "derived key length out of range")
        }
        // key_id = label ‖ (index DIV kdr) is 7 bytes, aligned to the low end of the 14-byte
        // salt, so the label lands on byte 7; r = 0 leaves bytes 8…13 as they are.
        var x = paddedSalt
        x[7] ^= label.rawValue

        let blockCount = (length + 15) / 16
        var counterBlocks = [UInt8]()
        counterBlocks.reserveCapacity(blockCount * 16)
        for counter in 0..<blockCount {
            counterBlocks += x
            counterBlocks.append(UInt8(truncatingIfNeeded: counter >> 8))
            counterBlocks.append(UInt8(truncatingIfNeeded: counter))
        }
        var keystream = try encryptECB(counterBlocks)
        keystream.removeLast(keystream.count - length)
        return keystream
    }

    /// The session keys libsrtp derives for `profile` (RFC 3711 §4.3.2; RFC 7714 §11 for GCM).
    public func sessionKeys(_ stream: Stream, profile: SRTPProfile) throws(SRTPError) -> SRTPSessionKeys {
        let labels: (Label, Label, Label) =
            switch stream {
            case .rtp: (.rtpEncryption, .rtpAuthentication, .rtpSalt)
            case .rtcp: (.rtcpEncryption, .rtcpAuthentication, .rtcpSalt)
            }
        let authenticationKey: [UInt8] =
            profile.sessionAuthKeyLength == 0 ? [] : try derive(labels.1, length: profile.sessionAuthKeyLength)
        return SRTPSessionKeys(
            encryptionKey: try derive(labels.0, length: profile.masterKeyLength),
            authenticationKey: authenticationKey,
            salt: try derive(labels.2, length: profile.masterSaltLength))
    }

    /// AES-ECB over whole blocks, no padding.
    private func encryptECB(_ input: [UInt8]) throws(SRTPError) -> [UInt8] {
        guard let context = EVP_CIPHER_CTX_new() else {
            throw SRTPError(.libraryFailure(code: -1), "EVP_CIPHER_CTX_new failed")
        }
        defer { EVP_CIPHER_CTX_free(context) }
        let cipher =
            switch masterKey.count {
            case 16: EVP_aes_128_ecb()
            case 24: EVP_aes_192_ecb()
            default: EVP_aes_256_ecb()
            }
        var output = [UInt8](repeating: 0, count: input.count + 16)
        var written: Int32 = 0
        let ok = masterKey.withUnsafeBufferPointer { key in
            input.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { output in
                    EVP_EncryptInit_ex(context, cipher, nil, key.baseAddress, nil) == 1
                        && EVP_CIPHER_CTX_set_padding(context, 0) == 1
                        && EVP_EncryptUpdate(
                            context, output.baseAddress, &written, input.baseAddress, Int32(input.count)) == 1
                }
            }
        }
        guard ok, Int(written) == input.count else {
            throw SRTPError(.libraryFailure(code: -1), "OpenSSL AES-ECB failed")
        }
        output.removeLast(output.count - input.count)
        return output
    }
}

/// Session keys for one stream direction (RFC 3711 §4.3): what the packet transforms use.
public struct SRTPSessionKeys: Sendable, CustomStringConvertible {
    public var encryptionKey: [UInt8]
    /// Empty for AEAD profiles.
    public var authenticationKey: [UInt8]
    public var salt: [UInt8]

    public init(encryptionKey: [UInt8], authenticationKey: [UInt8], salt: [UInt8]) {
        self.encryptionKey = encryptionKey
        self.authenticationKey = authenticationKey
        self.salt = salt
    }

    public var description: String {
        "SRTPSessionKeys(encryption: \(encryptionKey.count) bytes, authentication: \(authenticationKey.count) bytes, salt: \(salt.count) bytes)"
    }
}
