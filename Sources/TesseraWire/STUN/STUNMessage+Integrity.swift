import Crypto

extension STUNMessage {
    /// The value xored into the CRC-32 of FINGERPRINT (RFC 8489 §14.7).
    public static let fingerprintXor: UInt32 = 0x5354_554E

    /// Checks MESSAGE-INTEGRITY of a parsed message (RFC 5389 §15.4, RFC 8489 §14.5): HMAC-SHA1
    /// with `key` over the bytes before the attribute, with the header length field set as if
    /// the message ended right after MESSAGE-INTEGRITY. For ICE short-term credentials the key
    /// is the UTF-8 of the peer's ice-pwd. False when the message has no MESSAGE-INTEGRITY or
    /// was not parsed from bytes.
    public func verifyMessageIntegrity(key: [UInt8]) -> Bool {
        guard let offset = integrityAttributeOffset, offset + 24 <= wireBytes.count else { return false }
        let adjustedLength = UInt16(offset - Self.headerSize + 24)
        var hmac = HMAC<Insecure.SHA1>(key: SymmetricKey(data: key))
        hmac.update(data: wireBytes[0..<2])
        hmac.update(data: [UInt8(adjustedLength >> 8), UInt8(truncatingIfNeeded: adjustedLength)])
        hmac.update(data: wireBytes[4..<offset])
        let expected = Array(hmac.finalize())
        var difference: UInt8 = 0
        for (index, byte) in wireBytes[(offset + 4)..<(offset + 24)].enumerated() {
            difference |= byte ^ expected[index]
        }
        return difference == 0
    }

    /// Checks FINGERPRINT of a parsed message (RFC 5389 §15.5, RFC 8489 §14.7): CRC-32 of the
    /// bytes before the attribute, xored with 0x5354554E. False when absent.
    public func verifyFingerprint() -> Bool {
        guard let offset = fingerprintAttributeOffset, offset + 8 <= wireBytes.count else { return false }
        let received = wireBytes[(offset + 4)..<(offset + 8)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return received == CRC32.checksum(wireBytes[0..<offset]) ^ Self.fingerprintXor
    }

    /// The message on the wire. With `integrityKey`, appends MESSAGE-INTEGRITY computed with that
    /// key; with `fingerprint`, then appends FINGERPRINT (the order RFC 8489 §14.5 and §14.7
    /// require). Existing MESSAGE-INTEGRITY / FINGERPRINT entries in `attributes` are written
    /// as they are unless recomputed here.
    public func serialized(integrityKey: [UInt8]? = nil, fingerprint: Bool = false) -> [UInt8] {
        var writer = ByteWriter(reservingCapacity: 128)
        serialize(into: &writer, integrityKey: integrityKey, fingerprint: fingerprint)
        return writer.bytes
    }

    /// Appends the message to `writer`; see `serialized(integrityKey:fingerprint:)`.
    public func serialize(into writer: inout ByteWriter, integrityKey: [UInt8]? = nil, fingerprint: Bool = false) {
        let start = writer.count
        writer.u16(type.rawValue)
        writer.u16(0)
        writer.u32(Self.magicCookie)
        writer.u32(transactionID.high)
        writer.u64(transactionID.low)
        for attribute in attributes {
            switch attribute {
            case .messageIntegrity where integrityKey != nil: continue
            case .fingerprint where fingerprint || integrityKey != nil: continue
            default: attribute.write(into: &writer, transactionID: transactionID)
            }
        }
        if let integrityKey {
            writer.set16(UInt16(truncatingIfNeeded: writer.count - start - Self.headerSize + 24), at: start + 2)
            let mac = HMAC<Insecure.SHA1>.authenticationCode(
                for: writer.bytes[start...], using: SymmetricKey(data: integrityKey))
            STUNAttribute.messageIntegrity(Array(mac)).write(into: &writer, transactionID: transactionID)
        }
        if fingerprint {
            writer.set16(UInt16(truncatingIfNeeded: writer.count - start - Self.headerSize + 8), at: start + 2)
            let crc = CRC32.checksum(writer.bytes[start...]) ^ Self.fingerprintXor
            STUNAttribute.fingerprint(crc).write(into: &writer, transactionID: transactionID)
        }
        writer.set16(UInt16(truncatingIfNeeded: writer.count - start - Self.headerSize), at: start + 2)
    }
}
