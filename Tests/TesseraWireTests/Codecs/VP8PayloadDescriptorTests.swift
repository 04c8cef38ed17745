import Testing
@testable import TesseraWire

@Suite struct VP8PayloadDescriptorTests {
    @Test func minimalDescriptor() throws {
        var reader = ByteReader([0x10, 0xAA])
        let descriptor = try VP8PayloadDescriptor(parsing: &reader)
        #expect(descriptor.startOfPartition && descriptor.partitionIndex == 0 && descriptor.isStartOfFrame)
        #expect(descriptor.pictureID == nil)
        #expect(reader.offset == 1)
    }

    @Test func allExtensions() throws {
        // X=1 N=1 S=0 PID=3 | I L T K | M=1 PictureID 0x1234 | TL0PICIDX 7 | TID 2 Y KEYIDX 5
        var reader = ByteReader([0xA3, 0xF0, 0x92, 0x34, 0x07, 0xA5, 0xEE])
        let descriptor = try VP8PayloadDescriptor(parsing: &reader)
        #expect(descriptor == VP8PayloadDescriptor(nonReference: true, startOfPartition: false, partitionIndex: 3,
                                                   pictureID: .long(0x1234), tl0PictureIndex: 7, temporalLayerID: 2,
                                                   layerSync: true, keyIndex: 5))
        #expect(reader.offset == 6)
        #expect(descriptor.encodedLength == 6)
        var writer = ByteWriter()
        descriptor.write(into: &writer)
        #expect(writer.bytes == [0xA3, 0xF0, 0x92, 0x34, 0x07, 0xA5])
    }

    @Test func sevenBitPictureID() throws {
        var reader = ByteReader([0x90, 0x80, 0x45, 0x00])
        let descriptor = try VP8PayloadDescriptor(parsing: &reader)
        #expect(descriptor.pictureID == .short(0x45))
        #expect(descriptor.pictureID?.value == 0x45)
        #expect(VP8PictureID.short(0x7F).next == .short(0))
        #expect(VP8PictureID.long(0x7FFF).next == .long(0))
    }

    @Test func keyIndexWithoutTemporalLayer() throws {
        var reader = ByteReader([0x80, 0x10, 0xFF])
        let descriptor = try VP8PayloadDescriptor(parsing: &reader)
        #expect(descriptor.temporalLayerID == nil && !descriptor.layerSync)
        #expect(descriptor.keyIndex == 31)
    }

    @Test func roundTripsEveryCombination() throws {
        for mask in 0..<32 {
            let descriptor = VP8PayloadDescriptor(
                nonReference: mask & 1 != 0, startOfPartition: mask & 2 != 0, partitionIndex: UInt8(mask % 8),
                pictureID: mask & 4 != 0 ? .long(UInt16(mask) * 1000) : (mask & 8 != 0 ? .short(UInt8(mask)) : nil),
                tl0PictureIndex: mask & 8 != 0 ? UInt8(mask) : nil, temporalLayerID: mask & 16 != 0 ? 3 : nil,
                layerSync: mask & 16 != 0, keyIndex: mask & 1 != 0 ? 17 : nil)
            var writer = ByteWriter()
            descriptor.write(into: &writer)
            #expect(writer.count == descriptor.encodedLength)
            var reader = ByteReader(writer.bytes)
            #expect(try VP8PayloadDescriptor(parsing: &reader) == descriptor)
            #expect(reader.isAtEnd)
            // Every strict prefix is truncated.
            for length in 0..<writer.count {
                var short = ByteReader(Array(writer.bytes[..<length]))
                #expect(throws: WireError.self) { try VP8PayloadDescriptor(parsing: &short) }
            }
        }
    }

    @Test func keyframeCheck() {
        let keyStart: [UInt8] = [0x90, 0x80, 0x81, 0x00, 0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A]
        #expect(VP8PayloadDescriptor.isKeyframe(payload: ByteReader(keyStart)))
        var interframe = keyStart
        interframe[4] = 0x11
        #expect(!VP8PayloadDescriptor.isKeyframe(payload: ByteReader(interframe)))
        var notStart = keyStart
        notStart[0] = 0x80
        #expect(!VP8PayloadDescriptor.isKeyframe(payload: ByteReader(notStart)))
        #expect(!VP8PayloadDescriptor.isKeyframe(payload: ByteReader([0x90, 0x80, 0x81, 0x00])))
        #expect(!VP8PayloadDescriptor.isKeyframe(payload: ByteReader([])))
    }
}
