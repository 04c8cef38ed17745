import TesseraWire

typealias Packets = FuzzPacketSequence

/// VP8 payload sequences (`FuzzPacketSequence` format): frames as `VP8Packetizer` and
/// browsers cut them, with loss, duplicates, late packets and abandoned frames.
enum VP8Seeds {
    /// RFC 6386 §9.1 frame tag: P bit, version 0, show_frame, first partition size.
    static func frameTag(keyframe: Bool, partitionSize: UInt32) -> [UInt8] {
        let byte0 = UInt8(keyframe ? 0 : 1) | 0x10 | UInt8(truncatingIfNeeded: partitionSize & 7) << 5
        return [byte0, UInt8(truncatingIfNeeded: partitionSize >> 3), UInt8(truncatingIfNeeded: partitionSize >> 11)]
    }

    /// Key frame of 640×480 (RFC 6386 §9.2 start code and dimensions).
    static let keyframe = frameTag(keyframe: true, partitionSize: 100) + [0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01]
        + filler(150, seed: 10)
    static let interframe = frameTag(keyframe: false, partitionSize: 40) + filler(60, seed: 11)

    static func packetize(_ frames: [[UInt8]], maxPayloadSize: Int = 60) -> [[[UInt8]]] {
        var packetizer = VP8Packetizer(maxPayloadSize: maxPayloadSize, initialPictureID: 0x7FFE)
        return frames.map { try! packetizer.packetize($0) }
    }

    static func descriptor(_ descriptor: VP8PayloadDescriptor, _ data: ArraySlice<UInt8>) -> [UInt8] {
        var writer = ByteWriter()
        descriptor.write(into: &writer)
        return writer.bytes + data
    }

    static var all: [Seed] {
        let key = packetize([keyframe])[0]
        let later = packetize([keyframe, interframe])
        return [
            Seed("keyframe-interframes.bin", Packets.records(frames: packetize([keyframe, interframe, interframe]))),
            Seed("single-packet-frames.bin", Packets.records(frames: packetize([keyframe, interframe], maxPayloadSize: 1200))),
            Seed("descriptor-extensions.bin", Packets.records(frames: [
                [
                    descriptor(VP8PayloadDescriptor(startOfPartition: true, pictureID: .short(5), tl0PictureIndex: 3,
                                                    temporalLayerID: 1, layerSync: true, keyIndex: 4), keyframe[..<50]),
                    descriptor(VP8PayloadDescriptor(startOfPartition: true, partitionIndex: 1, pictureID: .short(5),
                                                    tl0PictureIndex: 3), keyframe[50..<100]),
                    descriptor(VP8PayloadDescriptor(startOfPartition: false, partitionIndex: 1, keyIndex: 31), keyframe[100...]),
                ],
                [descriptor(VP8PayloadDescriptor(nonReference: true, startOfPartition: true), interframe[...])],
            ])),
            Seed("loss-then-keyframe.bin",
                 Packets.record(key[0]) + Packets.record(key[1], step: .skipOne) + Packets.record(key[2], marker: true)
                 + Packets.record(later[0][0], newTimestamp: true) + Packets.record(later[0][1])
                 + Packets.record(later[0][2], marker: true) + Packets.record(later[1][0], newTimestamp: true)
                 + Packets.record(later[1][1], marker: true)),
            Seed("duplicate-and-late.bin",
                 Packets.record(key[0]) + Packets.record(key[0], step: .duplicate) + Packets.record(key[1])
                 + Packets.record(key[0], step: .late) + Packets.record(key[2], marker: true, step: .skipOne)
                 + Packets.record(later[1][0], marker: true, newTimestamp: true)),
            Seed("timestamp-change-without-marker.bin",
                 Packets.record(key[0]) + Packets.record(key[1])
                 + Packets.record(later[0][0], newTimestamp: true) + Packets.record(later[0][1])
                 + Packets.record(later[0][2], marker: true)),
            Seed("padding-packets.bin",
                 Packets.record(key[0]) + Packets.record([]) + Packets.record(key[1]) + Packets.record([])
                 + Packets.record(key[2], marker: true) + Packets.record([], marker: true)),
        ]
    }
}

/// H.264 payload sequences (`FuzzPacketSequence` format): single NAL unit packets, STAP-A
/// and FU-A (RFC 6184 packetization mode 1), with loss and a receiver joining mid-fragment.
enum H264Seeds {
    static let sps: [UInt8] = [0x67, 0x42, 0xC0, 0x1F, 0xDA, 0x01, 0x40, 0x16, 0xEC, 0x04, 0x40, 0x00, 0x00, 0x03, 0x00, 0x40,
                               0x00, 0x00, 0x0F, 0x03, 0xC6, 0x0C, 0xA8]
    static let pps: [UInt8] = [0x68, 0xCE, 0x3C, 0x80]
    static let idr: [UInt8] = [0x65, 0x88, 0x84] + filler(200, seed: 20)
    static let slice: [UInt8] = [0x41, 0x9A] + filler(80, seed: 21)
    static let accessUnitDelimiter: [UInt8] = [0x09, 0xF0]
    static let sei: [UInt8] = [0x06, 0x05, 0x02, 0xAA, 0xBB, 0x80]

    static let packetizer = H264Packetizer(maxPayloadSize: 80)

    /// STAP-A (RFC 6184 §5.7.1) with NRI 3.
    static func stapA(_ units: [[UInt8]]) -> [UInt8] {
        var writer = ByteWriter()
        writer.u8(0x78)
        for unit in units {
            writer.u16(UInt16(unit.count))
            writer.append(contentsOf: unit)
        }
        return writer.bytes
    }

    static func annexB(_ units: [[UInt8]]) -> [UInt8] { units.flatMap { H264AnnexB.startCode + $0 } }

    static var all: [Seed] {
        let idrFragments = packetizer.packetize(nalUnits: [idr[...]])
        return [
            Seed("stap-a-sps-pps-fu-a-idr.bin", Packets.records(frames: [
                [stapA([sps, pps])] + idrFragments,
                [slice],
            ])),
            Seed("annex-b-access-units.bin", Packets.records(frames: [
                try! packetizer.packetize(accessUnit: annexB([accessUnitDelimiter, sps, pps, idr])),
                try! packetizer.packetize(accessUnit: annexB([accessUnitDelimiter, slice])),
            ])),
            Seed("stap-a-sei-two-slices.bin", Packets.records(frames: [[stapA([sei, slice]), slice]])),
            Seed("fu-a-loss-then-recovery.bin",
                 Packets.record(idrFragments[0]) + Packets.record(idrFragments[1], step: .skipOne)
                 + Packets.record(idrFragments[2], marker: true)
                 + Packets.record(stapA([sps, pps]), newTimestamp: true) + Packets.record(idrFragments[0])
                 + Packets.record(idrFragments[1]) + Packets.record(idrFragments[2], marker: true)),
            Seed("join-mid-fragment.bin",
                 Packets.record(idrFragments[1]) + Packets.record(idrFragments[2], marker: true)
                 + Packets.record(slice, marker: true, newTimestamp: true)),
            Seed("timestamp-change-without-marker.bin",
                 Packets.record(stapA([sps, pps])) + Packets.record(idrFragments[0])
                 + Packets.record(slice, newTimestamp: true) + Packets.record(slice, marker: true)),
            Seed("duplicate-late-padding.bin",
                 Packets.record(slice) + Packets.record(slice, step: .duplicate) + Packets.record([])
                 + Packets.record(slice, step: .late) + Packets.record(slice, marker: true, step: .skipOne)
                 + Packets.record(slice, marker: true, newTimestamp: true)),
        ]
    }
}
