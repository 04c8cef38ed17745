import Foundation
import Testing
import TesseraMedia

@Suite struct VP8Tests {
    private static func solid(_ width: Int, _ height: Int, y: UInt8 = 81, u: UInt8 = 90, v: UInt8 = 240) -> I420Frame {
        let frame = I420Frame(width: width, height: height)
        frame.fill(y: y, u: u, v: v)
        return frame
    }

    @Test func solidColourSurvivesEncodeAndDecode() throws {
        let encoder = try VP8Encoder(width: 320, height: 240, fps: 30, bitrateKbps: 500)
        let decoder = try VP8Decoder()
        let input = Self.solid(320, 240)
        var decoded: I420Frame?
        for pts in 0..<5 {
            let packets = try encoder.encode(input, pts: Int64(pts))
            #expect(packets.count == 1)
            for packet in packets {
                if let previous = decoded { decoder.pool.recycle(previous) }
                decoded = try decoder.decode(packet.bytes)
            }
        }
        let frame = try #require(decoded)
        #expect(frame.width == 320 && frame.height == 240)
        let mean = meanColour(of: frame)
        #expect(abs(mean.y - 81) <= 6)
        #expect(abs(mean.u - 90) <= 6)
        #expect(abs(mean.v - 240) <= 6)
    }

    @Test func onlyTheFirstAndRequestedFramesAreKeyframes() throws {
        let encoder = try VP8Encoder(width: 320, height: 240)
        let input = Self.solid(320, 240)
        var keyframes: [Bool] = []
        for pts in 0..<8 {
            if pts == 5 { encoder.requestKeyframe() }
            keyframes += try encoder.encode(input, pts: Int64(pts)).map(\.isKeyframe)
        }
        #expect(keyframes == [true, false, false, false, false, true, false, false])
    }

    /// The room hands each frame's bytes to its sessions, which may still hold them when
    /// the next frames are encoded: the encoder reuses its buffers, but never one held.
    @Test func aFrameKeptByItsReceiverKeepsItsBytesWhileTheEncoderReusesItsBuffers() throws {
        let encoder = try VP8Encoder(width: 160, height: 120, fps: 30, bitrateKbps: 300)
        let input = I420Frame(width: 160, height: 120)
        func encode(_ pts: Int) throws -> EncodedFrame {
            // A moving gradient, so every frame's bytes differ.
            for row in 0..<input.height {
                (input.planeY + row * input.strideY).update(repeating: UInt8(truncatingIfNeeded: row * 2 + pts * 7), count: input.width)
            }
            return try #require(encoder.encode(input, pts: Int64(pts)).last)
        }
        func address(_ frame: EncodedFrame) -> UnsafeRawPointer? { frame.bytes.withUnsafeBytes { $0.baseAddress } }

        let kept = try encode(0)
        let keptCopy = kept.bytes.withUnsafeBufferPointer { Array($0) }
        var reused: Set<UnsafeRawPointer?> = []
        for pts in 1...(4 * VP8Encoder.bufferCount) {
            let frame = try encode(pts)
            #expect(address(frame) != address(kept), "a held buffer is never refilled")
            #expect(frame.bytes != keptCopy)
            reused.insert(address(frame))
        }
        #expect(kept.bytes == keptCopy, "the kept frame's bytes are unchanged")
        // Frames let go at once are refilled in place: one buffer per slot (plus the slot
        // that had to leave the kept frame's buffer behind).
        #expect(reused.count <= VP8Encoder.bufferCount)
    }

    @Test func lowerBitrateGivesSmallerFramesForNoise() throws {
        let encoder = try VP8Encoder(width: 320, height: 240, fps: 30, bitrateKbps: 2000)
        let frame = I420Frame(width: 320, height: 240)
        var noise = TestNoise(seed: 7)
        func averageSize(frames: Int, from start: Int) throws -> Double {
            var sizes: [Int] = []
            for pts in start..<(start + frames) {
                // Mild noise: compressible enough that the quantiser, not its ceiling, sets the size.
                noise.fill(frame, amplitude: 24)
                sizes += try encoder.encode(frame, pts: Int64(pts)).map(\.bytes.count)
            }
            // The last half, once rate control has settled.
            let settled = sizes.suffix(frames / 2)
            return Double(settled.reduce(0, +)) / Double(settled.count)
        }
        let high = try averageSize(frames: 20, from: 0)
        try encoder.setBitrate(kbps: 150)
        #expect(encoder.bitrateKbps == 150)
        let low = try averageSize(frames: 20, from: 20)
        #expect(low < high / 2, "average frame \(low) bytes at 150 kbps vs \(high) at 2000 kbps")
    }

    @Test func decoderFollowsAResolutionChange() throws {
        let decoder = try VP8Decoder()
        let small = try VP8Encoder(width: 320, height: 240)
        for pts in 0..<2 {
            for packet in try small.encode(Self.solid(320, 240), pts: Int64(pts)) {
                let frame = try #require(try decoder.decode(packet.bytes))
                #expect(frame.width == 320 && frame.height == 240)
                decoder.pool.recycle(frame)
            }
        }
        let large = try VP8Encoder(width: 640, height: 360)
        let packets = try large.encode(Self.solid(640, 360, y: 200, u: 60, v: 180), pts: 0)
        #expect(packets.first?.isKeyframe == true)
        let keyframe = try #require(packets.first)
        let frame = try #require(try decoder.decode(keyframe.bytes))
        #expect(frame.width == 640 && frame.height == 360)
        let mean = meanColour(of: frame)
        #expect(abs(mean.y - 200) <= 6 && abs(mean.u - 60) <= 6 && abs(mean.v - 180) <= 6)
    }

    @Test func garbageIsAnErrorNotACrash() throws {
        let decoder = try VP8Decoder()
        var noise = TestNoise(seed: 99)
        for length in [1, 3, 10, 100, 1000] {
            #expect(throws: MediaError.self) { _ = try decoder.decode(noise.bytes(length)) }
        }
        #expect(throws: MediaError(.badInput, "empty VP8 frame")) { _ = try decoder.decode([]) }
    }

    @Test func truncatedOrCorruptedFramesAfterAKeyframeDoNotCrash() throws {
        let encoder = try VP8Encoder(width: 320, height: 240)
        let decoder = try VP8Decoder()
        let input = I420Frame(width: 320, height: 240)
        var noise = TestNoise(seed: 3)
        noise.fill(input)
        let keyframe = try #require(try encoder.encode(input, pts: 0).first).bytes
        _ = try decoder.decode(keyframe)
        // A cut keyframe is refused; flipped bytes either decode to something or are refused.
        #expect(throws: MediaError.self) { _ = try decoder.decode(Array(keyframe.prefix(8))) }
        var corrupted = keyframe
        for index in stride(from: 20, to: corrupted.count, by: 7) { corrupted[index] ^= 0x5A }
        _ = try? decoder.decode(corrupted)
        let next = try #require(try encoder.encode(input, pts: 1).first).bytes
        _ = try? decoder.decode(next)
    }

    @Test func encoderRefusesAFrameOfAnotherSizeAndBadSettings() throws {
        let encoder = try VP8Encoder(width: 320, height: 240)
        #expect(throws: MediaError.self) { _ = try encoder.encode(I420Frame(width: 640, height: 360), pts: 0) }
        #expect(throws: MediaError.self) { try encoder.setBitrate(kbps: 0) }
        #expect(throws: MediaError.self) { try encoder.setSpeed(17) }
        #expect(throws: MediaError.self) { _ = try VP8Encoder(width: 0, height: 240) }
    }

    @Test func speedChangesAtRuntime() throws {
        let encoder = try VP8Encoder(width: 320, height: 240)
        #expect(encoder.speed == 8)
        try encoder.setSpeed(4)
        #expect(encoder.speed == 4)
        #expect(try encoder.encode(Self.solid(320, 240), pts: 0).count == 1)
    }

    /// A moving pattern with detail, so the encoder has something to lose.
    private static func pattern(_ width: Int, _ height: Int, frame index: Int) -> I420Frame {
        let frame = I420Frame(width: width, height: height)
        for row in 0..<height {
            for column in 0..<width {
                frame.planeY[row * frame.strideY + column] = UInt8(truncatingIfNeeded: (column + 3 * index) ^ (row * 7 / 3) &* 13)
            }
        }
        for row in 0..<frame.chromaHeight {
            for column in 0..<frame.chromaWidth {
                frame.planeU[row * frame.strideUV + column] = UInt8(truncatingIfNeeded: 64 + column + index)
                frame.planeV[row * frame.strideUV + column] = UInt8(truncatingIfNeeded: 192 - row)
            }
        }
        return frame
    }

    private static func squaredError(_ a: I420Frame, _ b: I420Frame) -> (sum: UInt64, samples: UInt64) {
        func plane(_ p: UnsafeMutablePointer<UInt8>, _ ps: Int, _ q: UnsafeMutablePointer<UInt8>, _ qs: Int, _ w: Int, _ h: Int) -> UInt64 {
            var sum: UInt64 = 0
            for row in 0..<h {
                for column in 0..<w {
                    let d = Int(p[row * ps + column]) - Int(q[row * qs + column])
                    sum += UInt64(d * d)
                }
            }
            return sum
        }
        let y = plane(a.planeY, a.strideY, b.planeY, b.strideY, a.width, a.height)
        let u = plane(a.planeU, a.strideUV, b.planeU, b.strideUV, a.chromaWidth, a.chromaHeight)
        let v = plane(a.planeV, a.strideUV, b.planeV, b.strideUV, a.chromaWidth, a.chromaHeight)
        return (y + u + v, UInt64(a.width * a.height + 2 * a.chromaWidth * a.chromaHeight))
    }

    @Test func measuredQualityIsTheDecodedPicturesErrorAndFollowsTheBitrate() throws {
        var psnr: [Double] = []
        for kbps in [150, 1_200] {
            let encoder = try VP8Encoder(VP8EncoderSettings(width: 320, height: 240, bitrateKbps: kbps, speed: -5, measuresQuality: true))
            let decoder = try VP8Decoder()
            var ours = (sum: UInt64(0), samples: UInt64(0))
            for index in 0..<10 {
                let input = Self.pattern(320, 240, frame: index)
                for packet in try encoder.encode(input, pts: Int64(index)) {
                    let decoded = try #require(try decoder.decode(packet.bytes))
                    let error = Self.squaredError(input, decoded)
                    ours = (ours.sum + error.sum, ours.samples + error.samples)
                    decoder.pool.recycle(decoded)
                }
            }
            #expect(encoder.quality.frames == 10)
            #expect(encoder.quality.samples == ours.samples)
            let measured = try #require(encoder.quality.psnr)
            let decodedPSNR = 10 * log10(255.0 * 255.0 * Double(ours.samples) / Double(ours.sum))
            #expect(abs(measured - decodedPSNR) < 0.05, "libvpx \(measured) dB, decoded \(decodedPSNR) dB")
            psnr.append(measured)
        }
        #expect(psnr[1] > psnr[0] + 3, "\(psnr)")
    }

    @Test func qualityIsMeasuredOnlyWhenAskedFor() throws {
        let encoder = try VP8Encoder(width: 320, height: 240)
        _ = try encoder.encode(Self.pattern(320, 240, frame: 0), pts: 0)
        #expect(encoder.quality.frames == 0 && encoder.quality.psnr == nil)
    }
}
