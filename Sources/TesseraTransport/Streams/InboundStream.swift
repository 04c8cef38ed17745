import TesseraWire

/// One SSRC a peer sends: statistics, reordering, loss recovery (NACK, then PLI) and
/// depacketization into `InboundFrame`s.
struct InboundStream {
    enum Depacketizer {
        case opus
        case vp8(VP8Depacketizer)
        case h264(H264Depacketizer)
    }

    let ssrc: UInt32
    let media: NegotiatedMedia
    var statistics: ReceiveStatistics
    private var reorder = ReorderBuffer<RTPPacket>()
    private var depacketizer: Depacketizer
    /// Present when the peer may retransmit (video with `nack` negotiated).
    private(set) var nack: NACKGenerator?
    private var droppedSoFar = 0
    /// Set when a frame was lost for good: the owner sends a PLI.
    var keyframeNeeded = false

    init?(ssrc: UInt32, media: NegotiatedMedia, localSSRC: UInt32) {
        self.ssrc = ssrc
        self.media = media
        statistics = ReceiveStatistics(ssrc: ssrc, clockRate: Int(media.codec.clockRate))
        switch media.codec.name.lowercased() {
        case "opus": depacketizer = .opus
        case "vp8": depacketizer = .vp8(VP8Depacketizer())
        case "h264": depacketizer = .h264(H264Depacketizer())
        default: return nil
        }
        if media.kind == .video && media.usesFeedback("nack") {
            nack = NACKGenerator(senderSSRC: localSSRC, mediaSSRC: ssrc)
        }
    }

    /// Takes one decrypted packet; returns the frames it completed.
    mutating func receive(_ packet: RTPPacket, arrival: Duration) -> [InboundFrame] {
        let now = MediaTime(arrival)
        _ = statistics.packetReceived(packet.header, at: now)
        _ = nack?.packetReceived(sequenceNumber: packet.header.sequenceNumber, now: now)
        return frames(from: reorder.insert(packet, sequenceNumber: packet.header.sequenceNumber, now: now), arrival: arrival)
    }

    /// Timer work: packets released by the reorder wait, and a NACK to send.
    mutating func poll(arrival: Duration) -> (frames: [InboundFrame], nack: GenericNACK?) {
        let now = MediaTime(arrival)
        let frames = frames(from: reorder.release(now: now), arrival: arrival)
        guard let output = nack?.poll(now: now) else { return (frames, nil) }
        if output.keyframeNeeded { keyframeNeeded = true }
        return (frames, output.nack)
    }

    private mutating func frames(from packets: [(sequenceNumber: UInt16, element: RTPPacket)], arrival: Duration) -> [InboundFrame] {
        var out: [InboundFrame] = []
        for (sequence, packet) in packets where packet.header.payloadType == media.codec.payloadType {
            let header = packet.header
            switch depacketizer {
            case .opus:
                guard !packet.payload.isEmpty else { continue }
                let level = (try? media.extensions.value(SSRCAudioLevelExtension.self, in: header.headerExtension)) ?? nil
                out.append(InboundFrame(
                    codec: .opus, ssrc: ssrc, rtpTimestamp: header.timestamp, arrival: arrival, isKeyframe: true,
                    audioLevel: level?.level, voiceActivity: level?.voiceActivity, data: Array(packet.payload)))
            case .vp8(var assembler):
                depacketizer = .opus  // drops the enum's reference, so the push below mutates in place
                let frame = try? assembler.push(
                    payload: Array(packet.payload), sequenceNumber: sequence, timestamp: header.timestamp, marker: header.marker)
                noteDrops(assembler.droppedFrames)
                depacketizer = .vp8(assembler)
                if let frame {
                    out.append(InboundFrame(
                        codec: .vp8, ssrc: ssrc, rtpTimestamp: frame.timestamp, arrival: arrival, isKeyframe: frame.isKeyframe,
                        audioLevel: nil, voiceActivity: nil, data: frame.data))
                }
            case .h264(var assembler):
                depacketizer = .opus  // drops the enum's reference, so the push below mutates in place
                let unit = try? assembler.push(
                    payload: Array(packet.payload), sequenceNumber: sequence, timestamp: header.timestamp, marker: header.marker)
                noteDrops(assembler.droppedFrames)
                depacketizer = .h264(assembler)
                if let unit {
                    out.append(InboundFrame(
                        codec: .h264, ssrc: ssrc, rtpTimestamp: unit.timestamp, arrival: arrival, isKeyframe: unit.isKeyframe,
                        audioLevel: nil, voiceActivity: nil, data: unit.data))
                }
            }
        }
        return out
    }

    /// A frame the depacketizer had to drop leaves the decoder without a reference: ask
    /// for a keyframe.
    private mutating func noteDrops(_ dropped: Int) {
        if dropped > droppedSoFar { keyframeNeeded = true }
        droppedSoFar = dropped
    }
}

extension MediaTime {
    /// Media port time (a `Duration` since the port's origin) as RTCP media time.
    init(_ duration: Duration) {
        self.init(microseconds: Int64(duration / .microseconds(1)))
    }
}
