/// Reassembles VP8 frames from RTP payloads given in sequence order (RFC 7741 §4.5).
///
/// A frame starts with S = 1, PID = 0 and ends with the RTP marker bit. A gap in sequence
/// numbers, a timestamp change or a missing start drops the frame in progress (counted in
/// `droppedFrames`) and packets are skipped until the next frame start. Late and duplicate
/// packets are ignored; reorder them first (jitter buffer). Feed padding-only packets too
/// (empty payload), or their sequence numbers look like losses.
public struct VP8Depacketizer: Sendable {
    private var assembler: FrameAssembler
    private var pictureID: VP8PictureID?

    public init(limits: DepacketizerLimits = .default) {
        assembler = FrameAssembler(limits: limits)
    }

    /// Frames abandoned because a packet was lost, late, malformed or over the limits.
    public var droppedFrames: Int { assembler.droppedFrames }

    /// Adds one packet; returns a frame when this packet completes one. Throws for a malformed
    /// payload or a frame over the limits (the frame in progress is then dropped).
    public mutating func push(payload: ByteReader, sequenceNumber: UInt16, timestamp: UInt32, marker: Bool)
        throws(WireError) -> VP8Frame? {
        switch assembler.advance(to: sequenceNumber) {
        case .duplicateOrLate: return nil
        case .gap: assembler.drop()
        case .first, .next: break
        }
        guard !payload.isAtEnd else { return nil }
        do throws(WireError) {
            return try add(payload, timestamp: timestamp, marker: marker)
        } catch {
            assembler.drop()
            throw error
        }
    }

    /// `push(payload:…)` for a payload held in its own array.
    public mutating func push(payload: [UInt8], sequenceNumber: UInt16, timestamp: UInt32, marker: Bool)
        throws(WireError) -> VP8Frame? {
        try push(payload: ByteReader(payload), sequenceNumber: sequenceNumber, timestamp: timestamp, marker: marker)
    }

    /// Forgets the frame in progress and the sequence history (after a stream switch).
    public mutating func reset() {
        self = VP8Depacketizer(limits: assembler.limits)
    }

    private mutating func add(_ payload: ByteReader, timestamp: UInt32, marker: Bool) throws(WireError) -> VP8Frame? {
        var reader = payload
        let descriptor = try VP8PayloadDescriptor(parsing: &reader)
        guard !reader.isAtEnd else { throw WireError(.malformed, "VP8 payload without data") }
        if descriptor.isStartOfFrame {
            assembler.begin(timestamp: timestamp)
            pictureID = descriptor.pictureID
        } else if !assembler.isAssembling || assembler.timestamp != timestamp {
            assembler.drop()
            return nil
        }
        try assembler.countPacket()
        try assembler.append(try reader.bytes(reader.remaining, "VP8 payload"))
        guard marker else { return nil }
        var frameReader = ByteReader(assembler.buffer)
        let header = try VP8FrameHeader(parsing: &frameReader)
        return VP8Frame(data: assembler.finish(), timestamp: timestamp, header: header, pictureID: pictureID)
    }
}
