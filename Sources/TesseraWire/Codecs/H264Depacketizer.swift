/// Reassembles H.264 access units from RTP payloads given in sequence order, for
/// packetization modes 0 and 1 (RFC 6184 §6.2-6.3): single NAL unit packets (§5.6), STAP-A
/// (§5.7.1) and FU-A (§5.8). STAP-B, MTAP and FU-B (interleaved mode) are `unsupported`.
///
/// An access unit is the packets of one RTP timestamp, ended by the marker bit. After a gap
/// in sequence numbers the rest of that timestamp is skipped (the lost packets may have held
/// its first NAL units); a timestamp change without a marker drops the unfinished unit.
/// Late and duplicate packets are ignored; feed padding-only packets as empty payloads.
public struct H264Depacketizer: Sendable {
    private var assembler: FrameAssembler
    private var skippedTimestamp: UInt32?
    private var nalUnitCount = 0
    private var fragmentType: H264NALUnitType?
    private var containsIDR = false
    private var containsSPS = false
    private var containsPPS = false

    public init(limits: DepacketizerLimits = .default) {
        assembler = FrameAssembler(limits: limits)
    }

    /// Access units abandoned because a packet was lost, malformed or over the limits.
    public var droppedFrames: Int { assembler.droppedFrames }

    /// Adds one packet; returns an access unit when this packet's marker completes one.
    public mutating func push(payload: ByteReader, sequenceNumber: UInt16, timestamp: UInt32, marker: Bool)
        throws(WireError) -> H264AccessUnit? {
        switch assembler.advance(to: sequenceNumber) {
        case .duplicateOrLate: return nil
        case .gap:
            assembler.drop()
            skippedTimestamp = timestamp
        case .first:
            // Joined in the middle of a fragmented NAL unit: wait for the next timestamp.
            if Self.isFragmentContinuation(payload) { skippedTimestamp = timestamp }
        case .next: break
        }
        if assembler.isAssembling, assembler.timestamp != timestamp { assembler.drop() }
        if let skipped = skippedTimestamp {
            if skipped == timestamp { return nil }
            skippedTimestamp = nil
        }
        guard !payload.isAtEnd else { return nil }
        if !assembler.isAssembling { begin(timestamp) }
        do throws(WireError) {
            try add(payload)
        } catch {
            assembler.drop()
            skippedTimestamp = timestamp
            throw error
        }
        guard marker, assembler.isAssembling else { return nil }
        guard fragmentType == nil else {
            // The last fragment of an FU-A never came: the unit is incomplete.
            assembler.drop()
            return nil
        }
        guard nalUnitCount > 0 else { return nil }
        return H264AccessUnit(data: assembler.finish(), timestamp: timestamp, nalUnitCount: nalUnitCount,
                              containsIDR: containsIDR, containsSPS: containsSPS, containsPPS: containsPPS)
    }

    /// `push(payload:…)` for a payload held in its own array.
    public mutating func push(payload: [UInt8], sequenceNumber: UInt16, timestamp: UInt32, marker: Bool)
        throws(WireError) -> H264AccessUnit? {
        try push(payload: ByteReader(payload), sequenceNumber: sequenceNumber, timestamp: timestamp, marker: marker)
    }

    /// Forgets the unit in progress and the sequence history.
    public mutating func reset() {
        self = H264Depacketizer(limits: assembler.limits)
    }

    private static func isFragmentContinuation(_ payload: ByteReader) -> Bool {
        var reader = payload
        guard let indicator = try? reader.u8("FU indicator"), H264NALUnitType(header: indicator) == .fuA,
              let fuHeader = try? reader.u8("FU header") else { return false }
        return fuHeader & 0x80 == 0
    }

    /// True when an RTP payload carries an IDR slice or an SPS: a single NAL unit of that type,
    /// a STAP-A containing one, or the first fragment of one (RFC 6184 §5.6-5.8).
    public static func isKeyframe(payload: ByteReader) -> Bool {
        var reader = payload
        guard let header = try? reader.u8("H.264 NAL header") else { return false }
        func isKey(_ type: H264NALUnitType) -> Bool { type == .idr || type == .sps }
        let type = H264NALUnitType(header: header)
        switch type {
        case .stapA:
            while let size = try? reader.u16("STAP-A size"), size > 0, let nal = try? reader.bytes(Int(size), "STAP-A") {
                if let first = nal.first, isKey(H264NALUnitType(header: first)) { return true }
            }
            return false
        case .fuA:
            guard let fuHeader = try? reader.u8("FU header") else { return false }
            return fuHeader & 0x80 != 0 && isKey(H264NALUnitType(header: fuHeader))
        default:
            return isKey(type)
        }
    }

    private mutating func begin(_ timestamp: UInt32) {
        assembler.begin(timestamp: timestamp)
        nalUnitCount = 0
        fragmentType = nil
        containsIDR = false
        containsSPS = false
        containsPPS = false
    }

    private mutating func add(_ payload: ByteReader) throws(WireError) {
        var reader = payload
        try assembler.countPacket()
        let header = try reader.u8("H.264 NAL header")
        guard header & 0x80 == 0 else { throw WireError(.malformed, "H.264 forbidden_zero_bit set") }
        let type = H264NALUnitType(header: header)
        if type.isSingleNALUnit {
            try requireNoFragment()
            try appendNALUnit(header: header, rest: try reader.bytes(reader.remaining, "H.264 NAL unit"))
            return
        }
        switch type {
        case .stapA:
            try requireNoFragment()
            guard !reader.isAtEnd else { throw WireError(.malformed, "STAP-A without NAL units") }
            while !reader.isAtEnd {
                let size = Int(try reader.u16("STAP-A NAL unit size"))
                guard size > 0 else { throw WireError(.malformed, "STAP-A NAL unit of size 0") }
                var unit = try reader.subReader(size, "STAP-A NAL unit")
                let unitHeader = try unit.u8("STAP-A NAL header")
                guard H264NALUnitType(header: unitHeader).isSingleNALUnit else {
                    throw WireError(.malformed, "STAP-A holds NAL type \(unitHeader & 0x1F)")
                }
                try appendNALUnit(header: unitHeader, rest: try unit.bytes(unit.remaining, "STAP-A NAL unit"))
            }
        case .fuA:
            try addFragment(indicator: header, &reader)
        case .stapB, .mtap16, .mtap24, .fuB:
            throw WireError(.unsupported, "H.264 packet type \(type.rawValue) (interleaved mode)")
        default:
            throw WireError(.malformed, "H.264 reserved NAL type \(type.rawValue)")
        }
    }

    /// FU-A (RFC 6184 §5.8): the FU header's S bit opens the NAL unit (its header rebuilt from
    /// the FU indicator's F/NRI and the FU header's type), E closes it.
    private mutating func addFragment(indicator: UInt8, _ reader: inout ByteReader) throws(WireError) {
        let fuHeader = try reader.u8("FU-A header")
        guard !reader.isAtEnd else { throw WireError(.malformed, "FU-A without data") }
        let type = H264NALUnitType(header: fuHeader)
        guard type.isSingleNALUnit else { throw WireError(.malformed, "FU-A of NAL type \(type.rawValue)") }
        let data = try reader.bytes(reader.remaining, "FU-A data")
        if fuHeader & 0x80 != 0 {
            try requireNoFragment()
            try appendNALUnit(header: indicator & 0xE0 | type.rawValue, rest: data)
            fragmentType = type
        } else {
            guard fragmentType == type else {
                // A middle or last fragment without its start: the unit cannot be decoded.
                throw WireError(.malformed, "FU-A fragment without its start")
            }
            try assembler.append(data)
        }
        if fuHeader & 0x40 != 0 { fragmentType = nil }
    }

    private func requireNoFragment() throws(WireError) {
        guard fragmentType == nil else { throw WireError(.malformed, "H.264 NAL unit inside an unfinished FU-A") }
    }

    private mutating func appendNALUnit(header: UInt8, rest: ArraySlice<UInt8>) throws(WireError) {
        guard nalUnitCount < assembler.limits.maxNALUnitsPerFrame else {
            throw WireError(.tooLarge, "access unit with more than \(assembler.limits.maxNALUnitsPerFrame) NAL units")
        }
        try assembler.reserve(H264AnnexB.startCode.count + 1 + rest.count)
        try assembler.append(H264AnnexB.startCode)
        try assembler.append(CollectionOfOne(header))
        try assembler.append(rest)
        nalUnitCount += 1
        switch H264NALUnitType(header: header) {
        case .idr: containsIDR = true
        case .sps: containsSPS = true
        case .pps: containsPPS = true
        default: break
        }
    }
}
