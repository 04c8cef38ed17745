extension FuzzChecks {
    /// Key for the MESSAGE-INTEGRITY checks (the RFC 5769 password).
    private static let stunKey = Array("VOkJxbRl1RmTxUk/WvJxBt".utf8)

    /// `STUNMessage(parsing:)`: a parsed datagram passes `looksLikeSTUN`, re-serializes to a
    /// message equal to it, and re-serializing with MESSAGE-INTEGRITY and FINGERPRINT yields
    /// a message whose integrity and fingerprint verify. Decoded addresses survive their
    /// text form.
    @discardableResult
    public static func stun(_ bytes: [UInt8]) -> Bool {
        let looksLikeSTUN = STUNMessage.looksLikeSTUN(bytes)
        guard let message = try? STUNMessage(parsing: bytes) else { return false }
        require(looksLikeSTUN, "parsed STUN fails looksLikeSTUN: \(hex(bytes))")
        _ = message.verifyMessageIntegrity(key: stunKey)
        _ = message.verifyFingerprint()
        _ = message.unknownComprehensionRequiredTypes

        let plain = message.serialized()
        require(plain.count <= bytes.count, "STUN re-serialized grew: \(hex(bytes))")
        require((try? STUNMessage(parsing: plain)) == message, "STUN round trip: \(hex(bytes))")

        // The length field is 16 bits: only messages with room for the two attributes.
        if plain.count + 32 <= STUNMessage.headerSize + Int(UInt16.max) {
            let signed = message.serialized(integrityKey: stunKey, fingerprint: true)
            guard let parsed = try? STUNMessage(parsing: signed) else {
                fatalError("FuzzChecks: signed STUN does not parse: \(hex(bytes))")
            }
            require(parsed.verifyMessageIntegrity(key: stunKey) && parsed.verifyFingerprint(),
                    "signed STUN does not verify: \(hex(bytes))")
        }

        if let mapped = message.xorMappedAddress {
            require(IPAddress(mapped.address.description) == mapped.address, "IPAddress text round trip: \(mapped)")
        }
        return true
    }
}
