/// Splits H.264 access units into RTP payloads for packetization mode 1 (RFC 6184 §6.3):
/// a NAL unit that fits goes alone in a single NAL unit packet (§5.6), a larger one is cut
/// into FU-A fragments (§5.8). The caller sets the marker bit on the last payload of the
/// access unit and gives all of them its timestamp.
public struct H264Packetizer: Sendable {
    /// FU indicator + FU header.
    static let fragmentOverhead = 2

    public let maxPayloadSize: Int
    public let maxFrameBytes: Int

    /// - Parameter maxPayloadSize: RTP payload budget; at least 3.
    public init(maxPayloadSize: Int = 1200, maxFrameBytes: Int = DepacketizerLimits.default.maxFrameBytes) {
        precondition(maxPayloadSize > Self.fragmentOverhead, "H264Packetizer: maxPayloadSize must exceed 2")
        self.maxPayloadSize = maxPayloadSize
        self.maxFrameBytes = maxFrameBytes
    }

    /// The payloads of an Annex B access unit (start-code separated NAL units).
    public func packetize(accessUnit: [UInt8]) throws(WireError) -> [[UInt8]] {
        guard accessUnit.count <= maxFrameBytes else { throw WireError(.tooLarge, "H.264 access unit of \(accessUnit.count) bytes") }
        return packetize(nalUnits: try H264AnnexB.nalUnits(in: accessUnit))
    }

    /// The payloads of NAL units given without start codes.
    public func packetize(nalUnits: [ArraySlice<UInt8>]) -> [[UInt8]] {
        var payloads: [[UInt8]] = []
        for unit in nalUnits {
            guard let header = unit.first else { continue }
            if unit.count <= maxPayloadSize {
                payloads.append(Array(unit))
                continue
            }
            let body = unit.dropFirst()
            let chunkSize = maxPayloadSize - Self.fragmentOverhead
            let indicator = header & 0xE0 | H264NALUnitType.fuA.rawValue
            var offset = body.startIndex
            while offset < body.endIndex {
                let end = min(offset + chunkSize, body.endIndex)
                var fuHeader = header & 0x1F
                if offset == body.startIndex { fuHeader |= 0x80 }
                if end == body.endIndex { fuHeader |= 0x40 }
                var writer = ByteWriter(reservingCapacity: Self.fragmentOverhead + end - offset)
                writer.u8(indicator)
                writer.u8(fuHeader)
                writer.append(contentsOf: body[offset..<end])
                payloads.append(writer.bytes)
                offset = end
            }
        }
        return payloads
    }
}
