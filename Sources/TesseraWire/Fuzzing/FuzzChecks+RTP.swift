extension FuzzChecks {
    /// `RTPPacket(parsing:)`: ranges inside the datagram, a byte-exact re-serialization (up
    /// to the padding octets, written as zeros), the RFC 8285 elements and the extension
    /// values decoded from them, and the payload as Opus.
    @discardableResult
    public static func rtp(_ bytes: [UInt8]) -> Bool {
        _ = RTPPacket.looksLikeRTP(bytes)
        guard let packet = try? RTPPacket(parsing: bytes) else { return false }
        let range = packet.payloadRange
        require(range.lowerBound == packet.header.serializedLength, "RTP payload starts at \(range.lowerBound)")
        require(range.upperBound + Int(packet.paddingLength) == bytes.count, "RTP payload end \(range.upperBound)")

        var out: [UInt8] = []
        packet.serialize(into: &out)
        require(out.count == packet.serializedLength && out.count == bytes.count, "RTP length \(out.count)")
        require(out[..<range.upperBound] == bytes[..<range.upperBound], "RTP re-serialized differs: \(hex(bytes))")
        require((try? RTPPacket(parsing: out)) == packet, "RTP round trip: \(hex(bytes))")

        if let headerExtension = packet.header.headerExtension { checkExtension(headerExtension) }
        let payload = ByteReader(bytes, from: range.lowerBound, to: range.upperBound)
        if let opus = try? OpusPacket(parsing: payload) {
            require((1...48).contains(opus.frameCount) && opus.durationMicroseconds <= OpusPacket.maxDurationMicroseconds,
                    "Opus \(opus.frameCount) frames")
        }
        _ = VP8PayloadDescriptor.isKeyframe(payload: payload)
        _ = H264Depacketizer.isKeyframe(payload: payload)
        return true
    }

    /// The elements lie inside the block, `element(id:)` finds the first of each id, and
    /// rebuilding the block from them yields the same elements.
    private static func checkExtension(_ headerExtension: RTPHeaderExtension) {
        guard let form = headerExtension.form, let elements = try? headerExtension.elements() else { return }
        let data = headerExtension.data
        var seen = Set<UInt8>()
        for element in elements {
            require(element.range.lowerBound >= data.startIndex && element.range.upperBound <= data.endIndex,
                    "RTP extension element \(element.range) outside \(headerExtension.dataRange)")
            let value = data[element.range]
            if seen.insert(element.id).inserted {
                require((try? headerExtension.element(id: element.id)) == value, "RTP element(id: \(element.id))")
            }
            checkValue(AbsSendTimeExtension.self, value)
            checkValue(TransportSequenceNumberExtension.self, value)
            checkValue(SSRCAudioLevelExtension.self, value)
            checkValue(CSRCAudioLevelsExtension.self, value)
            checkValue(MidExtension.self, value)
        }
        let pairs = elements.map { (id: $0.id, data: Array(data[$0.range])) }
        guard let rebuilt = try? RTPHeaderExtension(elements: pairs, form: form),
              let again = try? rebuilt.elements() else {
            fatalError("FuzzChecks: RTP extension elements do not rebuild: \(hex(data))")
        }
        require(again.map(\.id) == pairs.map(\.id) && again.map({ Array(rebuilt.data[$0.range]) }) == pairs.map(\.data),
                "RTP extension rebuilt differently: \(hex(data))")
    }

    /// A value that decodes re-encodes to bytes that decode to the same value.
    private static func checkValue<Value: RTPHeaderExtensionValue>(_ type: Value.Type, _ data: ArraySlice<UInt8>) {
        guard let value = try? Value(parsing: data) else { return }
        require((try? Value(parsing: value.encoded[...])) == value, "\(Value.self) round trip: \(hex(data))")
    }
}
