/// Splits VP8 frames into RTP payloads of at most `maxPayloadSize` bytes, each with a payload
/// descriptor carrying a 15-bit PictureID (RFC 7741 §4.2, §4.4). The caller sets the RTP
/// marker bit on the last payload of a frame and gives all of them the frame's timestamp.
public struct VP8Packetizer: Sendable {
    /// Descriptor size used: X, I with a 15-bit PictureID.
    static let descriptorLength = 4

    public let maxPayloadSize: Int
    public let maxFrameBytes: Int
    /// The PictureID the next frame gets.
    public private(set) var pictureID: UInt16

    /// - Parameter maxPayloadSize: RTP payload budget (MTU minus IP, UDP, RTP, SRTP overhead); at least 5.
    public init(maxPayloadSize: Int = 1200, initialPictureID: UInt16 = UInt16.random(in: 0...0x7FFF),
                maxFrameBytes: Int = DepacketizerLimits.default.maxFrameBytes) {
        precondition(maxPayloadSize > Self.descriptorLength, "VP8Packetizer: maxPayloadSize must exceed 4")
        self.maxPayloadSize = maxPayloadSize
        self.maxFrameBytes = maxFrameBytes
        self.pictureID = initialPictureID & 0x7FFF
    }

    /// The payloads of one frame; empty for an empty frame. Throws `tooLarge` over `maxFrameBytes`.
    public mutating func packetize(_ frame: [UInt8]) throws(WireError) -> [[UInt8]] {
        guard frame.count <= maxFrameBytes else { throw WireError(.tooLarge, "VP8 frame of \(frame.count) bytes") }
        guard !frame.isEmpty else { return [] }
        let chunkSize = maxPayloadSize - Self.descriptorLength
        var payloads: [[UInt8]] = []
        payloads.reserveCapacity((frame.count + chunkSize - 1) / chunkSize)
        var offset = 0
        while offset < frame.count {
            let end = min(offset + chunkSize, frame.count)
            var writer = ByteWriter(reservingCapacity: Self.descriptorLength + end - offset)
            VP8PayloadDescriptor(startOfPartition: offset == 0, pictureID: .long(pictureID)).write(into: &writer)
            writer.append(contentsOf: frame[offset..<end])
            payloads.append(writer.bytes)
            offset = end
        }
        pictureID = (pictureID &+ 1) & 0x7FFF
        return payloads
    }
}
