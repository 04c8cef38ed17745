public import TesseraWire

/// Answers a received Generic NACK (RFC 4585 §6.2.1) from a `SendHistory`: the packets to
/// send again, either as the original bytes or, with RTX negotiated, wrapped in RTX
/// packets (RFC 4588 §4).
///
/// Limits: a sequence number is resent at most once per `resendInterval` (the measured
/// RTT when known, else `Configuration.defaultResendInterval`), packets older than
/// `maxPacketAge` are not resent, and one NACK yields at most `maxPacketsPerNACK` packets.
public struct NACKResponder: Sendable {
    /// The RTX stream negotiated for this SSRC (`a=ssrc-group:FID`, `a=rtpmap:… rtx`,
    /// `a=fmtp:… apt=`).
    public struct RTX: Sendable, Equatable {
        public var ssrc: UInt32
        /// Original payload type → RTX payload type (the `apt` mapping).
        public var payloadTypes: [UInt8: UInt8]

        public init(ssrc: UInt32, payloadTypes: [UInt8: UInt8]) {
            self.ssrc = ssrc
            self.payloadTypes = payloadTypes
        }

        /// One RTX payload type for one original payload type.
        public init(ssrc: UInt32, payloadType: UInt8, associatedPayloadType: UInt8) {
            self.init(ssrc: ssrc, payloadTypes: [associatedPayloadType: payloadType])
        }
    }

    public struct Configuration: Sendable {
        /// nil: resend the original packets on the media SSRC.
        public var rtx: RTX?
        /// Minimum spacing of two resends of one sequence number while no RTT is known.
        public var defaultResendInterval: Duration = .milliseconds(100)
        public var maxPacketAge: Duration = .seconds(1)
        public var maxPacketsPerNACK = 64
        /// Size of the per-sequence-number resend log (a power of two is cheapest).
        public var resendLogCapacity = 1024

        public init(rtx: RTX? = nil) {
            self.rtx = rtx
        }
    }

    /// One packet to send again.
    public struct Retransmission: Sendable, Equatable {
        /// The sequence number the NACK asked for.
        public var originalSequenceNumber: UInt16
        /// Ready to protect (SRTP) and send: the stored packet, or its RTX form.
        public var bytes: [UInt8]
    }

    public let configuration: Configuration
    /// Sequence number of the next RTX packet; starts at the value given to `init`.
    public private(set) var rtxSequenceNumber: UInt16
    /// The latest round-trip time measurement; nil until `updateRoundTripTime`.
    public private(set) var roundTripTime: Duration?

    private struct LogEntry: Sendable {
        var sequenceNumber: UInt16
        var resentAt: MediaTime?
    }
    private var resendLog: [LogEntry]

    public init(configuration: Configuration = Configuration(), initialRTXSequenceNumber: UInt16 = .random(in: 0...UInt16.max)) {
        self.configuration = configuration
        self.rtxSequenceNumber = initialRTXSequenceNumber
        self.resendLog = Array(
            repeating: LogEntry(sequenceNumber: 0, resentAt: nil),
            count: max(1, configuration.resendLogCapacity))
    }

    /// The spacing applied between two resends of one sequence number.
    public var resendInterval: Duration { roundTripTime ?? configuration.defaultResendInterval }

    /// Records an RTT measurement (e.g. from a report block's LSR/DLSR).
    public mutating func updateRoundTripTime(_ rtt: Duration) {
        roundTripTime = rtt
    }

    /// The packets to resend for `nack`, in NACK order. Numbers not in `history`, too old,
    /// or resent less than `resendInterval` ago are skipped; with RTX configured, packets
    /// whose payload type has no RTX mapping are skipped too.
    public mutating func respond(to nack: GenericNACK, history: SendHistory, now: MediaTime) -> [Retransmission] {
        var result: [Retransmission] = []
        let interval = resendInterval
        for item in nack.items {
            var bits = UInt32(item.lostPacketBitmask) << 1 | 1 // bit 0: PID itself
            var offset: UInt16 = 0
            while bits != 0 {
                defer { bits >>= 1; offset &+= 1 }
                guard bits & 1 != 0 else { continue }
                guard result.count < configuration.maxPacketsPerNACK else { return result }
                let sequenceNumber = item.packetID &+ offset
                guard let entry = history.entry(for: sequenceNumber),
                      now - entry.sentAt <= configuration.maxPacketAge else { continue }
                let slot = Int(sequenceNumber) % resendLog.count
                if resendLog[slot].sequenceNumber == sequenceNumber, let last = resendLog[slot].resentAt,
                   now - last < interval {
                    continue
                }
                let bytes: [UInt8]
                if let rtx = configuration.rtx {
                    guard let wrapped = wrap(entry.bytes, rtx: rtx) else { continue }
                    bytes = wrapped
                } else {
                    bytes = entry.bytes
                }
                resendLog[slot] = LogEntry(sequenceNumber: sequenceNumber, resentAt: now)
                result.append(Retransmission(originalSequenceNumber: sequenceNumber, bytes: bytes))
            }
        }
        return result
    }

    /// RFC 4588 §4: the original header with the RTX SSRC, payload type and sequence
    /// number, then the original sequence number (OSN) and the original payload; padding is
    /// dropped. Timestamp, marker, CSRCs and header extensions are kept.
    private mutating func wrap(_ original: [UInt8], rtx: RTX) -> [UInt8]? {
        guard let packet = try? RTPPacket(parsing: original),
              let payloadType = rtx.payloadTypes[packet.header.payloadType] else { return nil }
        let headerLength = packet.payloadRange.lowerBound
        var out: [UInt8] = []
        out.reserveCapacity(headerLength + 2 + packet.payloadRange.count)
        out.append(contentsOf: original[0..<headerLength])
        out[0] &= ~0x20 // no padding
        out[1] = (out[1] & 0x80) | (payloadType & 0x7F)
        out[2] = UInt8(rtxSequenceNumber >> 8)
        out[3] = UInt8(truncatingIfNeeded: rtxSequenceNumber)
        out[8] = UInt8(rtx.ssrc >> 24)
        out[9] = UInt8(truncatingIfNeeded: rtx.ssrc >> 16)
        out[10] = UInt8(truncatingIfNeeded: rtx.ssrc >> 8)
        out[11] = UInt8(truncatingIfNeeded: rtx.ssrc)
        out.append(UInt8(packet.header.sequenceNumber >> 8))
        out.append(UInt8(truncatingIfNeeded: packet.header.sequenceNumber))
        out.append(contentsOf: packet.payload)
        rtxSequenceNumber &+= 1
        return out
    }
}
