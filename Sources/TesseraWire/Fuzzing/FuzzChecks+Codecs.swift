extension FuzzChecks {
    /// Tight limits, so the limit paths run on fuzzer-sized inputs too.
    static let smallLimits = DepacketizerLimits(maxFrameBytes: 600, maxPacketsPerFrame: 6, maxNALUnitsPerFrame: 6)
    /// Payload budget of the packetizers in the round trips: small, so frames fragment.
    static let roundTripPayloadSize = 64

    /// `VP8PayloadDescriptor` and `VP8Depacketizer` on a `FuzzPacketSequence`: descriptors
    /// re-encode to themselves, every frame is within the limits and its header re-parses,
    /// and packetizing a frame again and depacketizing the result gives it back.
    /// True when at least one frame was completed.
    @discardableResult
    public static func vp8(_ bytes: [UInt8]) -> Bool {
        var depacketizers = [VP8Depacketizer(), VP8Depacketizer(limits: smallLimits)]
        let limits = [DepacketizerLimits.default, smallLimits]
        var completed = false
        for packet in FuzzPacketSequence(bytes).packets {
            checkVP8Descriptor(packet.payload)
            _ = VP8PayloadDescriptor.isKeyframe(payload: ByteReader(packet.payload))
            for index in depacketizers.indices {
                let dropped = depacketizers[index].droppedFrames
                if let frame = try? depacketizers[index].push(payload: packet.payload, sequenceNumber: packet.sequenceNumber,
                                                              timestamp: packet.timestamp, marker: packet.marker) {
                    checkVP8Frame(frame, timestamp: packet.timestamp, limits: limits[index])
                    completed = true
                }
                require(depacketizers[index].droppedFrames >= dropped, "VP8 droppedFrames went down")
            }
        }
        return completed
    }

    private static func checkVP8Descriptor(_ payload: [UInt8]) {
        var reader = ByteReader(payload)
        guard let descriptor = try? VP8PayloadDescriptor(parsing: &reader) else { return }
        require(descriptor.encodedLength <= reader.offset, "VP8 descriptor length \(descriptor.encodedLength) > \(reader.offset)")
        var writer = ByteWriter()
        descriptor.write(into: &writer)
        require(writer.count == descriptor.encodedLength, "VP8 descriptor encodedLength \(descriptor.encodedLength)")
        var again = ByteReader(writer.bytes)
        require((try? VP8PayloadDescriptor(parsing: &again)) == descriptor && again.isAtEnd,
                "VP8 descriptor round trip: \(hex(payload.prefix(8)))")
    }

    private static func checkVP8Frame(_ frame: VP8Frame, timestamp: UInt32, limits: DepacketizerLimits) {
        require(!frame.data.isEmpty && frame.data.count <= limits.maxFrameBytes, "VP8 frame of \(frame.data.count) bytes")
        require(frame.timestamp == timestamp, "VP8 frame timestamp")
        var reader = ByteReader(frame.data)
        require((try? VP8FrameHeader(parsing: &reader)) == frame.header, "VP8 frame header does not re-parse")

        let pictureID: UInt16 = 0x1234
        var packetizer = VP8Packetizer(maxPayloadSize: roundTripPayloadSize, initialPictureID: pictureID)
        guard let payloads = try? packetizer.packetize(frame.data) else {
            fatalError("FuzzChecks: VP8 frame of \(frame.data.count) bytes does not packetize")
        }
        guard payloads.count <= DepacketizerLimits.default.maxPacketsPerFrame else { return }
        var depacketizer = VP8Depacketizer()
        var result: VP8Frame?
        for (index, payload) in payloads.enumerated() {
            result = try? depacketizer.push(payload: payload, sequenceNumber: UInt16(truncatingIfNeeded: index),
                                            timestamp: frame.timestamp, marker: index == payloads.count - 1)
        }
        require(result?.data == frame.data && result?.header == frame.header && result?.pictureID == .long(pictureID),
                "VP8 packetizer round trip: \(hex(frame.data))")
    }

    /// `H264Depacketizer` on a `FuzzPacketSequence`: every access unit is within the limits
    /// and in Annex B form, and packetizing its NAL units again (mode 1) and depacketizing
    /// the result gives the same units back. True when at least one unit was completed.
    @discardableResult
    public static func h264(_ bytes: [UInt8]) -> Bool {
        var depacketizers = [H264Depacketizer(), H264Depacketizer(limits: smallLimits)]
        let limits = [DepacketizerLimits.default, smallLimits]
        var completed = false
        for packet in FuzzPacketSequence(bytes).packets {
            _ = H264Depacketizer.isKeyframe(payload: ByteReader(packet.payload))
            for index in depacketizers.indices {
                let dropped = depacketizers[index].droppedFrames
                if let unit = try? depacketizers[index].push(payload: packet.payload, sequenceNumber: packet.sequenceNumber,
                                                             timestamp: packet.timestamp, marker: packet.marker) {
                    checkAccessUnit(unit, timestamp: packet.timestamp, limits: limits[index])
                    completed = true
                }
                require(depacketizers[index].droppedFrames >= dropped, "H.264 droppedFrames went down")
            }
        }
        return completed
    }

    private static func checkAccessUnit(_ unit: H264AccessUnit, timestamp: UInt32, limits: DepacketizerLimits) {
        require((1...limits.maxNALUnitsPerFrame).contains(unit.nalUnitCount), "H.264 NAL unit count \(unit.nalUnitCount)")
        require(unit.data.count <= limits.maxFrameBytes, "H.264 access unit of \(unit.data.count) bytes")
        require(unit.data.count >= 5 * unit.nalUnitCount && unit.data.starts(with: H264AnnexB.startCode),
                "H.264 access unit not in Annex B form: \(hex(unit.data))")
        require(unit.timestamp == timestamp, "H.264 access unit timestamp")

        // A NAL unit's bytes may themselves contain a start code, so compare with the units
        // the Annex B parser finds rather than with `nalUnitCount`.
        guard let nalUnits = try? H264AnnexB.nalUnits(in: unit.data) else {
            fatalError("FuzzChecks: H.264 access unit does not split: \(hex(unit.data))")
        }
        let depacketizable = nalUnits.allSatisfy { nal in
            nal.first.map { $0 & 0x80 == 0 && H264NALUnitType(header: $0).isSingleNALUnit } ?? false
        }
        guard depacketizable, !nalUnits.isEmpty, nalUnits.count <= DepacketizerLimits.default.maxNALUnitsPerFrame else { return }
        let payloads = H264Packetizer(maxPayloadSize: roundTripPayloadSize).packetize(nalUnits: nalUnits)
        guard payloads.count <= DepacketizerLimits.default.maxPacketsPerFrame else { return }
        var depacketizer = H264Depacketizer()
        var result: H264AccessUnit?
        for (index, payload) in payloads.enumerated() {
            result = try? depacketizer.push(payload: payload, sequenceNumber: UInt16(truncatingIfNeeded: index),
                                            timestamp: unit.timestamp, marker: index == payloads.count - 1)
        }
        let expected = nalUnits.flatMap { H264AnnexB.startCode + $0 }
        require(result?.data == expected && result?.nalUnitCount == nalUnits.count,
                "H.264 packetizer round trip: \(hex(unit.data))")
        let types = Set(nalUnits.map { H264NALUnitType(header: $0[$0.startIndex]) })
        require(result?.containsIDR == types.contains(.idr) && result?.containsSPS == types.contains(.sps)
                    && result?.containsPPS == types.contains(.pps), "H.264 access unit flags")
    }
}
