/// The VP8 PictureID (RFC 7741 §4.2): 7 bits (M = 0) or 15 bits (M = 1).
public enum VP8PictureID: Sendable, Hashable {
    case short(UInt8)
    case long(UInt16)

    public var value: UInt16 {
        switch self {
        case .short(let value): UInt16(value & 0x7F)
        case .long(let value): value & 0x7FFF
        }
    }

    /// The next ID, wrapping within its width.
    public var next: VP8PictureID {
        switch self {
        case .short(let value): .short((value &+ 1) & 0x7F)
        case .long(let value): .long((value &+ 1) & 0x7FFF)
        }
    }
}
