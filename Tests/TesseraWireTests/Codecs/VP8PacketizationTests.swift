import Testing
@testable import TesseraWire

@Suite struct VP8PacketizationTests {
    static func frame(size: Int, keyframe: Bool, seed: UInt64) -> [UInt8] {
        var generator = SeededGenerator(seed: seed)
        var bytes = generator.bytes(count: size)
        if keyframe {
            bytes.replaceSubrange(0..<10, with: VP8FrameHeaderTests.keyframeHeader(width: 1280, height: 720))
        } else {
            bytes[0] |= 0x01
        }
        return bytes
    }

    struct Packet {
        var payload: [UInt8]
        var sequenceNumber: UInt16
        var timestamp: UInt32
        var marker: Bool
    }

    static func packets(_ frames: [[UInt8]], mtu: Int = 1200, firstSequence: UInt16 = 65530) throws -> [Packet] {
        var packetizer = VP8Packetizer(maxPayloadSize: mtu, initialPictureID: 0x7FFE)
        var sequence = firstSequence
        var result: [Packet] = []
        for (index, frame) in frames.enumerated() {
            let payloads = try packetizer.packetize(frame)
            for (offset, payload) in payloads.enumerated() {
                result.append(Packet(payload: payload, sequenceNumber: sequence, timestamp: UInt32(index) * 3000,
                                     marker: offset == payloads.count - 1))
                sequence &+= 1
            }
        }
        return result
    }

    @Test func packetizerRespectsMTUAndDescriptors() throws {
        var packetizer = VP8Packetizer(maxPayloadSize: 1200, initialPictureID: 0x7FFF)
        let frame = Self.frame(size: 5000, keyframe: true, seed: 1)
        let payloads = try packetizer.packetize(frame)
        #expect(payloads.count == 5)
        #expect(payloads.allSatisfy { $0.count <= 1200 })
        for (index, payload) in payloads.enumerated() {
            var reader = ByteReader(payload)
            let descriptor = try VP8PayloadDescriptor(parsing: &reader)
            #expect(descriptor.isStartOfFrame == (index == 0))
            #expect(descriptor.pictureID == .long(0x7FFF))
        }
        #expect(VP8PayloadDescriptor.isKeyframe(payload: ByteReader(payloads[0])))
        #expect(packetizer.pictureID == 0, "15-bit PictureID wraps")
        #expect(try packetizer.packetize([]).isEmpty)
        var small = VP8Packetizer(maxPayloadSize: 100, maxFrameBytes: 10)
        #expect(throws: WireError.self) { try small.packetize(Array(repeating: 0, count: 11)) }
    }

    @Test func depacketizerReassemblesAcrossSequenceWrap() throws {
        let frames = [Self.frame(size: 5000, keyframe: true, seed: 2), Self.frame(size: 700, keyframe: false, seed: 3),
                      Self.frame(size: 2400, keyframe: false, seed: 4)]
        var depacketizer = VP8Depacketizer()
        var assembled: [VP8Frame] = []
        for packet in try Self.packets(frames) {
            if let frame = try depacketizer.push(payload: packet.payload, sequenceNumber: packet.sequenceNumber,
                                                 timestamp: packet.timestamp, marker: packet.marker) {
                assembled.append(frame)
            }
        }
        #expect(assembled.map(\.data) == frames)
        #expect(assembled.map(\.isKeyframe) == [true, false, false])
        #expect(assembled[0].header.width == 1280 && assembled[0].header.height == 720)
        #expect(assembled.map(\.timestamp) == [0, 3000, 6000])
        #expect(assembled.map { $0.pictureID?.value } == [0x7FFE, 0x7FFF, 0])
        #expect(depacketizer.droppedFrames == 0)
    }

    @Test func lossDropsTheFrameAndResumesAtTheNextStart() throws {
        let frames = (0..<3).map { Self.frame(size: 3000, keyframe: $0 == 0, seed: UInt64(10 + $0)) }
        var packets = try Self.packets(frames)
        packets.remove(at: 4) // second packet of the second frame
        var depacketizer = VP8Depacketizer()
        var assembled: [[UInt8]] = []
        for packet in packets {
            if let frame = try depacketizer.push(payload: packet.payload, sequenceNumber: packet.sequenceNumber,
                                                 timestamp: packet.timestamp, marker: packet.marker) {
                assembled.append(frame.data)
            }
        }
        #expect(assembled == [frames[0], frames[2]])
        #expect(depacketizer.droppedFrames == 1)
    }

    @Test func missingStartIsSkippedAndDuplicatesIgnored() throws {
        let frames = [Self.frame(size: 3000, keyframe: true, seed: 20), Self.frame(size: 3000, keyframe: false, seed: 21)]
        let packets = try Self.packets(frames)
        var depacketizer = VP8Depacketizer()
        var assembled: [[UInt8]] = []
        // Join mid-frame (no start), then replay a duplicate and a late packet.
        for packet in packets.dropFirst(1) + [packets[4], packets[2]] {
            if let frame = try depacketizer.push(payload: packet.payload, sequenceNumber: packet.sequenceNumber,
                                                 timestamp: packet.timestamp, marker: packet.marker) {
                assembled.append(frame.data)
            }
        }
        #expect(assembled == [frames[1]])
        depacketizer.reset()
        #expect(depacketizer.droppedFrames == 0)
    }

    @Test func limitsAreEnforced() throws {
        let frame = Self.frame(size: 5000, keyframe: true, seed: 30)
        let packets = try Self.packets([frame], mtu: 500)
        var byPackets = VP8Depacketizer(limits: DepacketizerLimits(maxPacketsPerFrame: 5))
        var bySize = VP8Depacketizer(limits: DepacketizerLimits(maxFrameBytes: 4000))
        var packetError: WireError?
        var sizeError: WireError?
        for packet in packets {
            do {
                _ = try byPackets.push(payload: packet.payload, sequenceNumber: packet.sequenceNumber,
                                       timestamp: packet.timestamp, marker: packet.marker)
            } catch { packetError = packetError ?? error }
            do {
                _ = try bySize.push(payload: packet.payload, sequenceNumber: packet.sequenceNumber,
                                    timestamp: packet.timestamp, marker: packet.marker)
            } catch { sizeError = sizeError ?? error }
        }
        #expect(packetError?.kind == .tooLarge)
        #expect(sizeError?.kind == .tooLarge)
        #expect(byPackets.droppedFrames == 1 && bySize.droppedFrames == 1)
    }

    @Test func malformedPayloads() throws {
        var depacketizer = VP8Depacketizer()
        #expect(throws: WireError.self) { try depacketizer.push(payload: [0x90], sequenceNumber: 1, timestamp: 0, marker: true) }
        #expect(throws: WireError.self) { try depacketizer.push(payload: [0x80, 0x80], sequenceNumber: 2, timestamp: 0, marker: true) }
        // A key frame whose start code is wrong is refused when the frame completes.
        #expect(throws: WireError.self) {
            try depacketizer.push(payload: [0x10, 0x10, 0x02, 0x00, 0x9D, 0x01, 0x2B, 1, 0, 1, 0],
                                  sequenceNumber: 3, timestamp: 0, marker: true)
        }
        // Padding-only packets advance the sequence without dropping anything.
        #expect(try depacketizer.push(payload: [], sequenceNumber: 4, timestamp: 0, marker: false) == nil)
        let frame = try depacketizer.push(payload: [0x10, 0x31, 0x02, 0x00, 0xFF], sequenceNumber: 5, timestamp: 9, marker: true)
        #expect(frame?.data == [0x31, 0x02, 0x00, 0xFF])
    }

    @Test func seededGarbageNeverCrashes() throws {
        var generator = SeededGenerator(seed: 7741)
        var depacketizer = VP8Depacketizer(limits: DepacketizerLimits(maxFrameBytes: 64 * 1024, maxPacketsPerFrame: 64))
        let valid = try Self.packets([Self.frame(size: 4000, keyframe: true, seed: 40)]).map(\.payload)
        var sequence: UInt16 = 0
        for round in 0..<8000 {
            let payload = round % 2 == 0
                ? generator.bytes(count: Int.random(in: 0...40, using: &generator))
                : generator.mutate(valid[round % valid.count], edits: Int.random(in: 1...3, using: &generator))
            sequence &+= UInt16.random(in: 0...2, using: &generator)
            _ = VP8PayloadDescriptor.isKeyframe(payload: ByteReader(payload))
            _ = try? depacketizer.push(payload: payload, sequenceNumber: sequence,
                                       timestamp: UInt32.random(in: 0...3, using: &generator),
                                       marker: Bool.random(using: &generator))
        }
    }
}
