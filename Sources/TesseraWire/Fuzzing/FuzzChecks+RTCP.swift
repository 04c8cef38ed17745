extension FuzzChecks {
    /// `RTCPCompoundPacket(parsing:)`: the re-serialized compound parses to the same packets
    /// (unknown ones compared by their bytes), serializing that again is byte-identical, and
    /// the derived views (NACK sequence numbers, TWCC statuses) stay within their bounds.
    @discardableResult
    public static func rtcp(_ bytes: [UInt8]) -> Bool {
        _ = RTCPPacket.looksLikeRTCP(bytes)
        guard let compound = try? RTCPCompoundPacket(parsing: bytes) else { return false }
        require(!compound.packets.isEmpty && compound.packets.count <= RTCPCompoundPacket.maxPackets,
                "RTCP packet count \(compound.packets.count)")
        for packet in compound.packets { checkDerived(packet, in: bytes) }

        var out: [UInt8] = []
        compound.serialize(into: &out)
        guard let again = try? RTCPCompoundPacket(parsing: out) else {
            fatalError("FuzzChecks: re-serialized RTCP does not parse: \(hex(bytes)) -> \(hex(out))")
        }
        require(comparable(again) == comparable(compound), "RTCP round trip: \(hex(bytes))")
        var twice: [UInt8] = []
        again.serialize(into: &twice)
        require(twice == out, "RTCP serialization not stable: \(hex(bytes))")
        return true
    }

    private static func checkDerived(_ packet: RTCPPacket, in bytes: [UInt8]) {
        switch packet {
        case .genericNACK(let nack):
            require(nack.items.count <= GenericNACK.maxItems, "NACK items \(nack.items.count)")
            require(nack.sequenceNumbers.count <= 17 * nack.items.count, "NACK sequence numbers")
        case .fullIntraRequest(let fir):
            require(fir.entries.count <= FullIntraRequest.maxEntries, "FIR entries \(fir.entries.count)")
        case .transportWideFeedback(let feedback):
            require((1...TransportWideFeedback.maxPacketStatusCount).contains(feedback.packets.count),
                    "TWCC status count \(feedback.packets.count)")
            var expected = feedback.baseSequenceNumber
            for status in feedback.packets {
                require(status.sequenceNumber == expected, "TWCC sequence numbers not consecutive")
                expected &+= 1
            }
        case .unknown(_, let range):
            require(range.lowerBound >= 0 && range.upperBound <= bytes.count && range.count >= RTCPHeader.size,
                    "RTCP unknown range \(range)")
        default:
            break
        }
    }

    /// A compound's packets with `.unknown` ranges replaced by their bytes.
    private static func comparable(_ compound: RTCPCompoundPacket) -> [ComparableRTCPPacket] {
        compound.packets.map { packet in
            if case .unknown(let type, let range) = packet { return .unknown(type, Array(compound.bytes[range])) }
            return .known(packet)
        }
    }

    private enum ComparableRTCPPacket: Equatable {
        case known(RTCPPacket)
        case unknown(UInt8, [UInt8])
    }
}
