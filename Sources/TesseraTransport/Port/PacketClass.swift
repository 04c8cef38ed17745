/// What a datagram on the shared media port is, from its first byte (RFC 7983 §7):
///
/// ```
///                  +----------------+
///                  |        [0..3] -+--> STUN
///                  |      [16..19] -+--> ZRTP        (dropped)
///   packet -->     |      [20..63] -+--> DTLS
///                  |      [64..79] -+--> TURN channel (dropped)
///                  |    [128..191] -+--> RTP / RTCP
///                  +----------------+
/// ```
/// RTP and RTCP share one port (rtcp-mux); RFC 5761 §4 tells them apart by the second
/// byte: payload types 64..95 (with the marker bit masked) are RTCP packet types 192..223.
public enum PacketClass: Sendable, Equatable {
    case stun, dtls, rtp, rtcp, unknown

    public init<Bytes: RandomAccessCollection>(_ bytes: Bytes) where Bytes.Element == UInt8, Bytes.Index == Int {
        guard let first = bytes.first else {
            self = .unknown
            return
        }
        switch first {
        case 0...3: self = .stun
        case 20...63: self = .dtls
        case 128...191:
            guard bytes.count >= 2 else {
                self = .unknown
                return
            }
            let type = bytes[bytes.startIndex + 1] & 0x7F
            self = (64...95).contains(type) ? .rtcp : .rtp
        default: self = .unknown
        }
    }
}
