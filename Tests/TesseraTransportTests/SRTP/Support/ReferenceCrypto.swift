import COpenSSL

/// Plain OpenSSL primitives for checking libsrtp's output independently of libsrtp.
enum ReferenceCrypto {
    /// AES-128 in counter mode (the whole 128-bit IV is the initial counter block).
    static func aes128CTR(key: [UInt8], iv: [UInt8], _ data: [UInt8]) -> [UInt8] {
        precondition(key.count == 16 && iv.count == 16)
        let context = EVP_CIPHER_CTX_new()!
        defer { EVP_CIPHER_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: data.count + 16)
        var written: Int32 = 0
        var final: Int32 = 0
        let ok = output.withUnsafeMutableBufferPointer { out in
            EVP_EncryptInit_ex(context, EVP_aes_128_ctr(), nil, key, iv) == 1
                && EVP_EncryptUpdate(context, out.baseAddress, &written, data, Int32(data.count)) == 1
                && EVP_EncryptFinal_ex(context, out.baseAddress! + Int(written), &final) == 1
        }
        precondition(ok)
        return Array(output[0..<Int(written + final)])
    }

    /// HMAC-SHA1 (RFC 2104), full 20-byte output.
    static func hmacSHA1(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 20)
        var length: UInt32 = 0
        let result = HMAC(EVP_sha1(), key, Int32(key.count), data, data.count, &digest, &length)
        precondition(result != nil && length == 20)
        return digest
    }

    /// AES-128-GCM decryption; nil if the tag does not verify.
    static func aes128GCMOpen(
        key: [UInt8], iv: [UInt8], aad: [UInt8], ciphertext: [UInt8], tag: [UInt8]
    ) -> [UInt8]? {
        precondition(key.count == 16 && iv.count == 12 && tag.count == 16)
        let context = EVP_CIPHER_CTX_new()!
        defer { EVP_CIPHER_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: ciphertext.count + 16)
        var written: Int32 = 0
        var ignored: Int32 = 0
        var tag = tag
        guard EVP_DecryptInit_ex(context, EVP_aes_128_gcm(), nil, key, iv) == 1,
            EVP_DecryptUpdate(context, nil, &ignored, aad, Int32(aad.count)) == 1
        else { return nil }
        let opened = output.withUnsafeMutableBufferPointer { out in
            EVP_DecryptUpdate(context, out.baseAddress, &written, ciphertext, Int32(ciphertext.count)) == 1
                && EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, 16, &tag) == 1
                && EVP_DecryptFinal_ex(context, out.baseAddress! + Int(written), &ignored) == 1
        }
        return opened ? Array(output[0..<Int(written)]) : nil
    }

    /// The AES-CM IV of RFC 3711 §4.1.1: (k_s · 2^16) XOR (SSRC · 2^64) XOR (i · 2^16).
    static func srtpCounterIV(salt: [UInt8], ssrc: UInt32, index: UInt64) -> [UInt8] {
        precondition(salt.count == 14)
        var iv = salt + [0, 0]
        for byte in 0..<4 { iv[4 + byte] ^= UInt8(truncatingIfNeeded: ssrc >> (24 - 8 * byte)) }
        for byte in 0..<6 { iv[8 + byte] ^= UInt8(truncatingIfNeeded: index >> (40 - 8 * byte)) }
        return iv
    }

    /// The 12-byte AEAD IV of RFC 7714 §8.1 (SRTP) and §9.1 (SRTCP): salt XOR (0 ‖ SSRC ‖ 48-bit value),
    /// where the value is ROC ‖ SEQ for SRTP and 0 ‖ SRTCP index for SRTCP.
    static func gcmIV(salt: [UInt8], ssrc: UInt32, value: UInt64) -> [UInt8] {
        precondition(salt.count == 12)
        var iv = salt
        for byte in 0..<4 { iv[2 + byte] ^= UInt8(truncatingIfNeeded: ssrc >> (24 - 8 * byte)) }
        for byte in 0..<6 { iv[6 + byte] ^= UInt8(truncatingIfNeeded: value >> (40 - 8 * byte)) }
        return iv
    }
}

extension Array where Element == UInt8 {
    /// Big-endian bytes of an unsigned integer, `count` bytes long.
    static func bigEndian<T: FixedWidthInteger>(_ value: T, count: Int = MemoryLayout<T>.size) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * (count - 1 - $0))) }
    }
}
