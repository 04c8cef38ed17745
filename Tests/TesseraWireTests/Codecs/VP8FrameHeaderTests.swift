import Testing
@testable import TesseraWire

@Suite struct VP8FrameHeaderTests {
    /// A key frame start: frame tag (key, version 0, shown, first partition 0x1234 bytes),
    /// start code, 640 × 480 with scale codes 1 and 2.
    static func keyframeHeader(width: UInt16 = 640, height: UInt16 = 480) -> [UInt8] {
        let size: UInt32 = 0x1234
        let tag = UInt8(truncatingIfNeeded: size << 5) | 0x10
        let w = width | 1 << 14
        let h = height | 2 << 14
        return [tag, UInt8(truncatingIfNeeded: size >> 3), UInt8(truncatingIfNeeded: size >> 11), 0x9D, 0x01, 0x2A,
                UInt8(truncatingIfNeeded: w), UInt8(w >> 8), UInt8(truncatingIfNeeded: h), UInt8(h >> 8)]
    }

    @Test func keyframe() throws {
        var reader = ByteReader(Self.keyframeHeader())
        let header = try VP8FrameHeader(parsing: &reader)
        #expect(header.isKeyframe && header.showFrame && header.version == 0)
        #expect(header.firstPartitionSize == 0x1234)
        #expect(header.width == 640 && header.height == 480)
        #expect(header.horizontalScale == 1 && header.verticalScale == 2)
    }

    @Test func interframe() throws {
        var reader = ByteReader([0x31, 0x02, 0x00])
        let header = try VP8FrameHeader(parsing: &reader)
        #expect(!header.isKeyframe && header.width == nil)
        #expect(header.firstPartitionSize == 0x11)
    }

    @Test func badStartCodeAndTruncation() {
        var bad = Self.keyframeHeader()
        bad[4] = 0x02
        var reader = ByteReader(bad)
        #expect(throws: WireError(.malformed, "VP8 key frame start code")) { try VP8FrameHeader(parsing: &reader) }
        let good = Self.keyframeHeader()
        for length in 0..<good.count {
            var short = ByteReader(Array(good[..<length]))
            #expect(throws: WireError.self) { try VP8FrameHeader(parsing: &short) }
        }
    }
}
