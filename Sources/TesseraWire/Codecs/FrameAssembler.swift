/// The state the VP8 and H.264 depacketizers share: the frame being assembled, RTP sequence
/// continuity (RFC 3550 §5.1, modulo 2^16) and the bounds of `DepacketizerLimits`.
struct FrameAssembler: Sendable {
    /// Where a packet's sequence number stands relative to the previous one.
    enum Step {
        case first, next, gap, duplicateOrLate
    }

    let limits: DepacketizerLimits
    private(set) var buffer: [UInt8] = []
    private(set) var timestamp: UInt32 = 0
    private(set) var isAssembling = false
    private(set) var packetCount = 0
    private(set) var droppedFrames = 0
    private var lastSequence: UInt16?

    init(limits: DepacketizerLimits) { self.limits = limits }

    /// Records `sequenceNumber` and classifies it; late and duplicate packets leave the state alone.
    mutating func advance(to sequenceNumber: UInt16) -> Step {
        guard let last = lastSequence else {
            lastSequence = sequenceNumber
            return .first
        }
        let delta = Int16(bitPattern: sequenceNumber &- last)
        guard delta > 0 else { return .duplicateOrLate }
        lastSequence = sequenceNumber
        return delta == 1 ? .next : .gap
    }

    mutating func begin(timestamp: UInt32) {
        drop()
        self.timestamp = timestamp
        isAssembling = true
    }

    /// Abandons the frame in progress, counting it.
    mutating func drop() {
        if isAssembling { droppedFrames += 1 }
        isAssembling = false
        buffer.removeAll(keepingCapacity: true)
        packetCount = 0
    }

    /// Counts one more packet of the current frame.
    mutating func countPacket() throws(WireError) {
        guard packetCount < limits.maxPacketsPerFrame else {
            throw WireError(.tooLarge, "frame spans more than \(limits.maxPacketsPerFrame) packets")
        }
        packetCount += 1
    }

    /// Fails before the buffer would grow past `maxFrameBytes`.
    func reserve(_ count: Int) throws(WireError) {
        guard count <= limits.maxFrameBytes - buffer.count else {
            throw WireError(.tooLarge, "frame larger than \(limits.maxFrameBytes) bytes")
        }
    }

    mutating func append<C: Collection>(_ bytes: C) throws(WireError) where C.Element == UInt8 {
        try reserve(bytes.count)
        buffer.append(contentsOf: bytes)
    }

    /// Ends the frame and hands over its bytes.
    mutating func finish() -> [UInt8] {
        let frame = buffer
        buffer = []
        isAssembling = false
        packetCount = 0
        return frame
    }
}
