/// One packet of an RTCP compound packet (RFC 3550 §6.1).
public enum RTCPPacket: Sendable, Equatable {
    /// SR, PT 200 (RFC 3550 §6.4.1).
    case senderReport(SenderReport)
    /// RR, PT 201 (RFC 3550 §6.4.2).
    case receiverReport(ReceiverReport)
    /// SDES, PT 202 (RFC 3550 §6.5).
    case sourceDescription(SourceDescription)
    /// BYE, PT 203 (RFC 3550 §6.6).
    case goodbye(Goodbye)
    /// RTPFB FMT 1 (RFC 4585 §6.2.1).
    case genericNACK(GenericNACK)
    /// PSFB FMT 1 (RFC 4585 §6.3.1).
    case pictureLossIndication(PictureLossIndication)
    /// PSFB FMT 4 (RFC 5104 §4.3.1).
    case fullIntraRequest(FullIntraRequest)
    /// PSFB FMT 15 "REMB" (draft-alvestrand-rmcat-remb).
    case remb(REMB)
    /// RTPFB FMT 15 (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1).
    case transportWideFeedback(TransportWideFeedback)
    /// Any other packet type or feedback format (APP, XR, TMMBR, SLI, ...): skipped, not an
    /// error. `range` is the whole packet, header included, in the parsed datagram.
    case unknown(type: UInt8, range: Range<Int>)

    /// Parses one packet whose header has been read; `body` excludes header and padding.
    static func parse(header: RTCPHeader, body: inout ByteReader, range: Range<Int>) throws(WireError) -> RTCPPacket {
        switch RTCPPacketType(rawValue: header.packetType) {
        case .senderReport:
            return .senderReport(try SenderReport(reportCount: header.count, body: &body))
        case .receiverReport:
            return .receiverReport(try ReceiverReport(reportCount: header.count, body: &body))
        case .sourceDescription:
            return .sourceDescription(try SourceDescription(sourceCount: header.count, body: &body))
        case .goodbye:
            return .goodbye(try Goodbye(sourceCount: header.count, body: &body))
        case .transportFeedback:
            switch header.count {
            case GenericNACK.format: return .genericNACK(try GenericNACK(body: &body))
            case TransportWideFeedback.format: return .transportWideFeedback(try TransportWideFeedback(body: &body))
            default: return .unknown(type: header.packetType, range: range)
            }
        case .payloadSpecificFeedback:
            switch header.count {
            case PictureLossIndication.format: return .pictureLossIndication(try PictureLossIndication(body: &body))
            case FullIntraRequest.format: return .fullIntraRequest(try FullIntraRequest(body: &body))
            case REMB.format where REMB.matches(body): return .remb(try REMB(body: &body))
            default: return .unknown(type: header.packetType, range: range)
            }
        case .applicationDefined, .extendedReport, nil:
            return .unknown(type: header.packetType, range: range)
        }
    }

    /// Appends the packet (header, body, zero padding to 32 bits; the P bit is never set).
    /// `.unknown` writes nothing here: its bytes live in the source datagram, see
    /// `RTCPCompoundPacket.serialize(into:)`.
    public func serialize(into buffer: inout [UInt8]) {
        ByteWriter.appending(to: &buffer) { writer in write(to: &writer) }
    }

    func write(to writer: inout ByteWriter) {
        switch self {
        case .senderReport(let packet): packet.write(to: &writer)
        case .receiverReport(let packet): packet.write(to: &writer)
        case .sourceDescription(let packet): packet.write(to: &writer)
        case .goodbye(let packet): packet.write(to: &writer)
        case .genericNACK(let packet): packet.write(to: &writer)
        case .pictureLossIndication(let packet): packet.write(to: &writer)
        case .fullIntraRequest(let packet): packet.write(to: &writer)
        case .remb(let packet): packet.write(to: &writer)
        case .transportWideFeedback(let packet): packet.write(to: &writer)
        case .unknown: break
        }
    }

    /// Cheap demultiplexing test (RFC 5761 §4): version 2, at least 8 bytes, and a packet
    /// type in 192...223 (RTP payload types 64...95 with the marker bit).
    public static func looksLikeRTCP(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 8, bytes[0] >> 6 == 2 else { return false }
        return (192...223).contains(bytes[1])
    }
}
