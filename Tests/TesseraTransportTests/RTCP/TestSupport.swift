import TesseraWire
@testable import TesseraTransport

/// Milliseconds on the test clock.
func ms(_ value: Int64) -> MediaTime { .milliseconds(value) }

/// A serialized RTP packet with a recognizable payload.
func rtpBytes(
    sequenceNumber: UInt16, ssrc: UInt32 = 0x1111_1111, payloadType: UInt8 = 96,
    timestamp: UInt32 = 1000, marker: Bool = false, payload: [UInt8]? = nil, paddingLength: UInt8 = 0,
    headerExtension: RTPHeaderExtension? = nil
) -> [UInt8] {
    let header = RTPHeader(
        marker: marker, payloadType: payloadType, sequenceNumber: sequenceNumber, timestamp: timestamp,
        ssrc: ssrc, headerExtension: headerExtension)
    let body = payload ?? [UInt8(truncatingIfNeeded: sequenceNumber >> 8), UInt8(truncatingIfNeeded: sequenceNumber), 0xAB, 0xCD]
    var bytes: [UInt8] = []
    RTPPacket(header: header, payload: body, paddingLength: paddingLength).serialize(into: &bytes)
    return bytes
}

/// Parses a serialized compound RTCP datagram.
func parseRTCP(_ bytes: [UInt8]) throws -> [RTCPPacket] {
    try RTCPCompoundPacket(parsing: bytes).packets
}
