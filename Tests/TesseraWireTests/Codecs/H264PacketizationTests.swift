import Testing
@testable import TesseraWire

@Suite struct H264PacketizationTests {
    static let sps: [UInt8] = [0x67, 0x42, 0xC0, 0x1F, 0xDA, 0x01, 0x40, 0x16, 0xE8]
    static let pps: [UInt8] = [0x68, 0xCE, 0x3C, 0x80]

    static func slice(type: UInt8, size: Int, seed: UInt64) -> [UInt8] {
        var generator = SeededGenerator(seed: seed)
        // Body bytes never 0 so no start code can appear by chance.
        return [0x60 | type] + (1..<size).map { _ in UInt8.random(in: 1...255, using: &generator) }
    }

    static func annexB(_ units: [[UInt8]]) -> [UInt8] {
        units.flatMap { H264AnnexB.startCode + $0 }
    }

    static func push(_ depacketizer: inout H264Depacketizer, _ payloads: [[UInt8]], firstSequence: UInt16 = 100,
                     timestamp: UInt32 = 90000) throws -> H264AccessUnit? {
        var result: H264AccessUnit?
        for (index, payload) in payloads.enumerated() {
            result = try depacketizer.push(payload: payload, sequenceNumber: firstSequence &+ UInt16(index),
                                           timestamp: timestamp, marker: index == payloads.count - 1)
        }
        return result
    }

    @Test func singleNALUnitPackets() throws {
        var depacketizer = H264Depacketizer()
        let slice = Self.slice(type: 1, size: 300, seed: 1)
        let unit = try #require(try Self.push(&depacketizer, [slice]))
        #expect(unit.data == [0, 0, 0, 1] + slice)
        #expect(unit.nalUnitCount == 1)
        #expect(!unit.isKeyframe)
    }

    @Test func stapAThenFUAKeyframe() throws {
        let idr = Self.slice(type: 5, size: 3000, seed: 2)
        var stap: [UInt8] = [0x78]
        for unit in [Self.sps, Self.pps] { stap += [UInt8(unit.count >> 8), UInt8(unit.count & 0xFF)] + unit }
        var payloads = [stap]
        // FU-A by hand: 3 fragments of the IDR body.
        let body = Array(idr.dropFirst())
        let cuts = [0, 1000, 2000, body.count]
        for index in 0..<3 {
            var header = idr[0] & 0x1F
            if index == 0 { header |= 0x80 }
            if index == 2 { header |= 0x40 }
            payloads.append([idr[0] & 0xE0 | 28, header] + body[cuts[index]..<cuts[index + 1]])
        }
        #expect(H264Depacketizer.isKeyframe(payload: ByteReader(stap)))
        #expect(H264Depacketizer.isKeyframe(payload: ByteReader(payloads[1])))
        #expect(!H264Depacketizer.isKeyframe(payload: ByteReader(payloads[2])))

        var depacketizer = H264Depacketizer()
        let unit = try #require(try Self.push(&depacketizer, payloads, firstSequence: 65534))
        #expect(unit.data == Self.annexB([Self.sps, Self.pps, idr]))
        #expect(unit.nalUnitCount == 3)
        #expect(unit.containsSPS && unit.containsPPS && unit.containsIDR && unit.isKeyframe)
        #expect(unit.timestamp == 90000)
    }

    @Test func packetizerRoundTrip() throws {
        let units = [Self.sps, Self.pps, Self.slice(type: 5, size: 5000, seed: 3), Self.slice(type: 5, size: 800, seed: 4)]
        let accessUnit = Self.annexB(units)
        let packetizer = H264Packetizer(maxPayloadSize: 1200)
        let payloads = try packetizer.packetize(accessUnit: accessUnit)
        #expect(payloads.allSatisfy { $0.count <= 1200 })
        #expect(payloads.count == 2 + 5 + 1)
        #expect(payloads[0] == Self.sps && payloads[1] == Self.pps)
        #expect(payloads[2][0] & 0x1F == 28 && payloads[2][1] == 0x85)
        #expect(payloads[6][1] == 0x45)
        var depacketizer = H264Depacketizer()
        let unit = try #require(try Self.push(&depacketizer, payloads))
        #expect(unit.data == accessUnit)
        #expect(unit.nalUnitCount == 4)
    }

    @Test func annexBSplitting() throws {
        let stream: [UInt8] = [0, 0, 1, 0x67, 1, 2, 0, 0, 0, 1, 0x68, 3, 0, 0, 1, 0x65, 4, 0, 0, 0, 0, 1, 0x41, 0, 0, 3, 1]
        let units = try H264AnnexB.nalUnits(in: stream)
        #expect(units.map(Array.init) == [[0x67, 1, 2], [0x68, 3], [0x65, 4], [0x41, 0, 0, 3, 1]])
        #expect(throws: WireError.self) { try H264AnnexB.nalUnits(in: [0x67, 0, 0, 1, 0x68]) }
        #expect(try H264AnnexB.nalUnits(in: []).isEmpty)
        #expect(try H264AnnexB.nalUnits(in: [0, 0, 0, 1]).isEmpty)
    }

    @Test func lossSkipsTheAccessUnit() throws {
        let packetizer = H264Packetizer(maxPayloadSize: 500)
        let first = try packetizer.packetize(accessUnit: Self.annexB([Self.slice(type: 1, size: 2000, seed: 5)]))
        let second = try packetizer.packetize(accessUnit: Self.annexB([Self.slice(type: 1, size: 2000, seed: 6)]))
        let third = try packetizer.packetize(accessUnit: Self.annexB([Self.slice(type: 1, size: 400, seed: 7)]))
        var depacketizer = H264Depacketizer()
        var units: [H264AccessUnit] = []
        var sequence: UInt16 = 0
        for (index, payloads) in [first, second, third].enumerated() {
            for (offset, payload) in payloads.enumerated() {
                defer { sequence &+= 1 }
                if index == 1, offset == 1 { continue } // lost
                if let unit = try depacketizer.push(payload: payload, sequenceNumber: sequence,
                                                    timestamp: UInt32(index) * 3000, marker: offset == payloads.count - 1) {
                    units.append(unit)
                }
            }
        }
        #expect(units.map(\.timestamp) == [0, 6000])
        #expect(depacketizer.droppedFrames == 1)
    }

    @Test func joiningInsideAFragmentWaitsForTheNextTimestamp() throws {
        let packetizer = H264Packetizer(maxPayloadSize: 500)
        let first = try packetizer.packetize(accessUnit: Self.annexB([Self.slice(type: 1, size: 2000, seed: 8)]))
        var depacketizer = H264Depacketizer()
        for (offset, payload) in first.enumerated().dropFirst() {
            #expect(try depacketizer.push(payload: payload, sequenceNumber: UInt16(offset), timestamp: 0,
                                          marker: offset == first.count - 1) == nil)
        }
        let next = try depacketizer.push(payload: Self.sps, sequenceNumber: UInt16(first.count), timestamp: 3000, marker: true)
        #expect(next?.data == [0, 0, 0, 1] + Self.sps)
    }

    @Test func malformedAndUnsupportedPayloads() throws {
        var depacketizer = H264Depacketizer()
        var sequence: UInt16 = 0
        func push(_ payload: [UInt8], marker: Bool = true) throws(WireError) -> H264AccessUnit? {
            sequence &+= 1
            return try depacketizer.push(payload: payload, sequenceNumber: sequence, timestamp: UInt32(sequence), marker: marker)
        }
        #expect(throws: WireError(.unsupported, "H.264 packet type 25 (interleaved mode)")) { try push([0x19, 0, 1, 0x67]) }
        #expect(throws: WireError(.unsupported, "H.264 packet type 29 (interleaved mode)")) { try push([0x1D, 0x85, 1]) }
        #expect(throws: WireError(.malformed, "H.264 reserved NAL type 0")) { try push([0x00, 1]) }
        #expect(throws: WireError(.malformed, "H.264 reserved NAL type 30")) { try push([0x1E, 1]) }
        #expect(throws: WireError(.malformed, "H.264 forbidden_zero_bit set")) { try push([0x85, 1]) }
        #expect(throws: WireError(.malformed, "STAP-A NAL unit of size 0")) { try push([0x78, 0, 0]) }
        #expect(throws: WireError(.malformed, "STAP-A without NAL units")) { try push([0x78]) }
        #expect(throws: WireError(.malformed, "STAP-A holds NAL type 28")) { try push([0x78, 0, 2, 0x7C, 0x85]) }
        #expect(throws: WireError(.malformed, "FU-A without data")) { try push([0x7C, 0x85]) }
        #expect(throws: WireError(.malformed, "FU-A of NAL type 24")) { try push([0x7C, 0x98, 1]) }
        // Truncated STAP-A: every prefix cutting inside a NAL unit throws.
        var stap: [UInt8] = [0x78]
        for unit in [Self.sps, Self.pps] { stap += [0, UInt8(unit.count)] + unit }
        for length in 1..<stap.count where length != 1 + 2 + Self.sps.count {
            #expect(throws: WireError.self) { try push(Array(stap[..<length])) }
        }
        #expect(try push(stap)?.nalUnitCount == 2)
        // A NAL unit inside an unfinished FU-A.
        _ = try push([0x7C, 0x85, 1, 2], marker: false)
        #expect(throws: WireError(.malformed, "H.264 NAL unit inside an unfinished FU-A")) {
            try depacketizer.push(payload: Self.pps, sequenceNumber: sequence &+ 1, timestamp: UInt32(sequence), marker: true)
        }
    }

    @Test func limitsAreEnforced() throws {
        var byCount = H264Depacketizer(limits: DepacketizerLimits(maxNALUnitsPerFrame: 4))
        var stap: [UInt8] = [0x78]
        for _ in 0..<5 { stap += [0, UInt8(Self.pps.count)] + Self.pps }
        #expect(throws: WireError(.tooLarge, "access unit with more than 4 NAL units")) {
            try byCount.push(payload: stap, sequenceNumber: 1, timestamp: 0, marker: true)
        }
        var bySize = H264Depacketizer(limits: DepacketizerLimits(maxFrameBytes: 3000))
        let payloads = try H264Packetizer(maxPayloadSize: 1000).packetize(accessUnit: Self.annexB([Self.slice(type: 1, size: 4000, seed: 9)]))
        #expect(throws: WireError.self) { try Self.push(&bySize, payloads) }
        #expect(bySize.droppedFrames == 1)
        var byPackets = H264Depacketizer(limits: DepacketizerLimits(maxPacketsPerFrame: 3))
        #expect(throws: WireError(.tooLarge, "frame spans more than 3 packets")) { try Self.push(&byPackets, payloads) }
    }

    @Test func seededGarbageNeverCrashes() throws {
        var generator = SeededGenerator(seed: 6184)
        var depacketizer = H264Depacketizer(limits: DepacketizerLimits(maxFrameBytes: 64 * 1024, maxPacketsPerFrame: 64))
        let valid = try H264Packetizer(maxPayloadSize: 300).packetize(
            accessUnit: Self.annexB([Self.sps, Self.pps, Self.slice(type: 5, size: 2000, seed: 10)]))
        var sequence: UInt16 = 0
        for round in 0..<8000 {
            var payload = round % 2 == 0
                ? generator.bytes(count: Int.random(in: 0...40, using: &generator))
                : generator.mutate(valid[round % valid.count], edits: Int.random(in: 1...3, using: &generator))
            if round % 4 == 0, !payload.isEmpty { payload[0] = [0x78, 0x7C, 0x65][round % 3] }
            sequence &+= UInt16.random(in: 0...2, using: &generator)
            _ = H264Depacketizer.isKeyframe(payload: ByteReader(payload))
            _ = try? depacketizer.push(payload: payload, sequenceNumber: sequence,
                                       timestamp: UInt32.random(in: 0...3, using: &generator),
                                       marker: Bool.random(using: &generator))
            _ = try? H264AnnexB.nalUnits(in: payload)
        }
    }
}
