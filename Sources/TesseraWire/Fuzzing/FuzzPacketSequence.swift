/// The input format of the depacketizer fuzz targets: RTP packets (payload, sequence number,
/// timestamp, marker) carved from one byte string, so the fuzzer controls loss, duplication,
/// reordering and frame boundaries as well as the payloads.
///
/// Each record is a flags octet, a big-endian 16-bit payload length and the payload (cut
/// short by the end of the input):
///
///     | flags | length (16) | payload … |
///
/// flags bit 0: RTP marker. Bit 1: the timestamp advances by `timestampStep` before this
/// packet. Bits 2-3: sequence number step, 0 → +1, 1 → +2 (a loss), 2 → +0 (a duplicate),
/// 3 → −1 (late). Sequence numbers start at `firstSequenceNumber` and timestamps at
/// `firstTimestamp`, both close to wrapping.
public struct FuzzPacketSequence: Sendable {
    public struct Packet: Sendable, Equatable {
        public var payload: [UInt8]
        public var sequenceNumber: UInt16
        public var timestamp: UInt32
        public var marker: Bool
    }

    /// How a record moves the sequence number from the previous packet.
    public enum SequenceStep: UInt8, Sendable {
        case next = 0, skipOne = 1, duplicate = 2, late = 3

        var delta: UInt16 {
            switch self {
            case .next: 1
            case .skipOne: 2
            case .duplicate: 0
            case .late: UInt16.max
            }
        }
    }

    public static let firstSequenceNumber: UInt16 = 0xFFF8
    public static let firstTimestamp: UInt32 = 0xFFFF_E000
    /// 90 kHz at 30 frames per second.
    public static let timestampStep: UInt32 = 3000

    public private(set) var packets: [Packet] = []

    /// Carves `bytes` into packets; a trailing flags octet without a length is ignored.
    public init(_ bytes: [UInt8]) {
        var reader = ByteReader(bytes)
        var sequenceNumber = Self.firstSequenceNumber &- 1
        var timestamp = Self.firstTimestamp
        while let flags = try? reader.u8("flags"), let length = try? reader.u16("length") {
            let payload = Array((try? reader.bytes(min(Int(length), reader.remaining), "payload")) ?? [])
            sequenceNumber &+= (SequenceStep(rawValue: flags >> 2 & 0x03) ?? .next).delta
            if flags & 0x02 != 0 { timestamp &+= Self.timestampStep }
            packets.append(Packet(payload: payload, sequenceNumber: sequenceNumber, timestamp: timestamp,
                                  marker: flags & 0x01 != 0))
        }
    }

    /// One record of the format, for building seed inputs.
    public static func record(_ payload: [UInt8], marker: Bool = false, newTimestamp: Bool = false,
                              step: SequenceStep = .next) -> [UInt8] {
        precondition(payload.count <= Int(UInt16.max), "FuzzPacketSequence: payload too long")
        var writer = ByteWriter(reservingCapacity: 3 + payload.count)
        writer.u8((marker ? 0x01 : 0) | (newTimestamp ? 0x02 : 0) | step.rawValue << 2)
        writer.u16(UInt16(payload.count))
        writer.append(contentsOf: payload)
        return writer.bytes
    }

    /// Records for the payloads of consecutive frames: the marker on each frame's last payload
    /// and the timestamp advancing with each frame after the first.
    public static func records(frames: [[[UInt8]]]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (frameIndex, payloads) in frames.enumerated() {
            for (index, payload) in payloads.enumerated() {
                bytes += record(payload, marker: index == payloads.count - 1, newTimestamp: frameIndex > 0 && index == 0)
            }
        }
        return bytes
    }
}
