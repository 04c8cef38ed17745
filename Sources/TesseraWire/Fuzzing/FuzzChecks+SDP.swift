extension FuzzChecks {
    /// `SessionDescription(parsing:)`: the serialized description parses to an equal one and
    /// serializes to the same text again; every accessor runs; candidates survive their
    /// `candidate:` text form and addresses their canonical text form.
    @discardableResult
    public static func sdp(_ bytes: [UInt8]) -> Bool {
        guard let description = try? SessionDescription(parsing: bytes) else { return false }
        let text = description.serialized()
        let again: SessionDescription
        do {
            again = try SessionDescription(parsing: text)
        } catch {
            fatalError("FuzzChecks: serialized SDP does not parse (\(error)): \(quoted(bytes)) -> \(quoted(Array(text.utf8)))")
        }
        require(again == description, "SDP round trip changed the description: \(quoted(bytes))")
        require(again.serialized() == text, "SDP serialization not stable: \(quoted(bytes))")

        _ = description.bundleGroup
        _ = description.isICELite
        checkAddress(description.connection?.address)
        checkAddress(description.origin.address)
        for section in description.media {
            _ = section.codecs
            _ = section.ssrcs
            _ = section.ssrcGroups
            _ = section.msid
            _ = section.direction
            _ = section.isRTCPMux
            _ = section.endOfCandidates
            _ = description.iceCredentials(for: section)
            _ = description.fingerprint(for: section)
            _ = description.setup(for: section)
            _ = description.iceOptions(for: section)
            if let mid = section.mid { require(description.media(withMID: mid) != nil, "media(withMID: \(mid))") }
            _ = try? HeaderExtensionMap(section.extmaps.compactMap { extmap in
                UInt8(exactly: extmap.id).map { (id: $0, uri: extmap.uri) }
            })
            checkAddress(section.connection?.address)
            for candidate in section.candidates {
                require((try? ICECandidate(parsing: candidate.description)) == candidate,
                        "ICE candidate round trip: \(candidate.description.debugDescription)")
                checkAddress(candidate.address)
                checkAddress(candidate.relatedAddress)
            }
        }
        return true
    }

    /// An address that parses survives its canonical text form.
    private static func checkAddress(_ text: String?) {
        guard let text, let address = IPAddress(text) else { return }
        require(IPAddress(address.description) == address, "IPAddress text round trip: \(text.debugDescription)")
    }

    /// The input as an escaped Swift string literal, for failure messages.
    private static func quoted(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix(4096), as: UTF8.self).debugDescription
    }
}
