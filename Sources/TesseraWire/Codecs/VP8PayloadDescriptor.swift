/// The VP8 payload descriptor at the start of every VP8 RTP payload (RFC 7741 §4.2):
///
///     |X|R|N|S|R| PID |   required
///     |I|L|T|K| RSV   |   if X
///     |M| PictureID   |   if I (second byte if M)
///     |  TL0PICIDX    |   if L
///     |TID|Y| KEYIDX  |   if T or K
public struct VP8PayloadDescriptor: Sendable, Hashable {
    /// N: the frame can be discarded without affecting others.
    public var nonReference: Bool
    /// S: this packet starts a VP8 partition.
    public var startOfPartition: Bool
    /// PID: partition index, 0-7.
    public var partitionIndex: UInt8
    public var pictureID: VP8PictureID?
    public var tl0PictureIndex: UInt8?
    /// TID (0-3), present when T is set.
    public var temporalLayerID: UInt8?
    /// Y: layer sync bit, meaningful with `temporalLayerID`.
    public var layerSync: Bool
    /// KEYIDX (0-31), present when K is set.
    public var keyIndex: UInt8?

    public init(nonReference: Bool = false, startOfPartition: Bool, partitionIndex: UInt8 = 0,
                pictureID: VP8PictureID? = nil, tl0PictureIndex: UInt8? = nil, temporalLayerID: UInt8? = nil,
                layerSync: Bool = false, keyIndex: UInt8? = nil) {
        self.nonReference = nonReference
        self.startOfPartition = startOfPartition
        self.partitionIndex = partitionIndex
        self.pictureID = pictureID
        self.tl0PictureIndex = tl0PictureIndex
        self.temporalLayerID = temporalLayerID
        self.layerSync = layerSync
        self.keyIndex = keyIndex
    }

    /// Reads a descriptor, leaving `reader` at the VP8 payload.
    public init(parsing reader: inout ByteReader) throws(WireError) {
        let first = try reader.u8("VP8 payload descriptor")
        self.init(nonReference: first & 0x20 != 0, startOfPartition: first & 0x10 != 0, partitionIndex: first & 0x07)
        guard first & 0x80 != 0 else { return }
        let extensions = try reader.u8("VP8 descriptor extension")
        if extensions & 0x80 != 0 {
            let high = try reader.u8("VP8 PictureID")
            if high & 0x80 != 0 {
                let low = try reader.u8("VP8 PictureID")
                pictureID = .long(UInt16(high & 0x7F) << 8 | UInt16(low))
            } else {
                pictureID = .short(high)
            }
        }
        if extensions & 0x40 != 0 { tl0PictureIndex = try reader.u8("VP8 TL0PICIDX") }
        if extensions & 0x30 != 0 {
            let byte = try reader.u8("VP8 TID/KEYIDX")
            if extensions & 0x20 != 0 {
                temporalLayerID = byte >> 6
                layerSync = byte & 0x20 != 0
            }
            if extensions & 0x10 != 0 { keyIndex = byte & 0x1F }
        }
    }

    /// S = 1 and PID = 0: the first packet of a frame (RFC 7741 §4.2).
    public var isStartOfFrame: Bool { startOfPartition && partitionIndex == 0 }

    /// Bytes `write(into:)` produces.
    public var encodedLength: Int {
        var length = 1
        guard hasExtensions else { return length }
        length += 1
        if let pictureID { if case .long = pictureID { length += 2 } else { length += 1 } }
        if tl0PictureIndex != nil { length += 1 }
        if temporalLayerID != nil || keyIndex != nil { length += 1 }
        return length
    }

    private var hasExtensions: Bool {
        pictureID != nil || tl0PictureIndex != nil || temporalLayerID != nil || keyIndex != nil
    }

    public func write(into writer: inout ByteWriter) {
        var first = partitionIndex & 0x07
        if hasExtensions { first |= 0x80 }
        if nonReference { first |= 0x20 }
        if startOfPartition { first |= 0x10 }
        writer.u8(first)
        guard hasExtensions else { return }
        var extensions: UInt8 = 0
        if pictureID != nil { extensions |= 0x80 }
        if tl0PictureIndex != nil { extensions |= 0x40 }
        if temporalLayerID != nil { extensions |= 0x20 }
        if keyIndex != nil { extensions |= 0x10 }
        writer.u8(extensions)
        switch pictureID {
        case .short(let value): writer.u8(value & 0x7F)
        case .long(let value): writer.u16(0x8000 | value & 0x7FFF)
        case nil: break
        }
        if let tl0PictureIndex { writer.u8(tl0PictureIndex) }
        if temporalLayerID != nil || keyIndex != nil {
            var byte = (temporalLayerID ?? 0) << 6 & 0xC0
            if layerSync, temporalLayerID != nil { byte |= 0x20 }
            byte |= (keyIndex ?? 0) & 0x1F
            writer.u8(byte)
        }
    }

    /// True when `payload` is the first packet of a VP8 key frame: S = 1, PID = 0 and the
    /// P bit of the VP8 payload header clear (RFC 7741 §4.3). A cheap check for SFU logic.
    public static func isKeyframe(payload: ByteReader) -> Bool {
        var reader = payload
        guard let descriptor = try? VP8PayloadDescriptor(parsing: &reader), descriptor.isStartOfFrame,
              let tag = try? reader.u8("VP8 payload header") else { return false }
        return tag & 0x01 == 0
    }
}
