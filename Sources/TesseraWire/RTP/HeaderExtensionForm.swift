/// The two general header-extension mechanisms of RFC 8285 §4.
public enum HeaderExtensionForm: Sendable, Equatable {
    /// RFC 8285 §4.2: profile `0xBEDE`; 4-bit id (1...14) and 4-bit length-minus-one,
    /// so 1...16 data bytes per element. Id 15 stops parsing; a zero byte is padding.
    case oneByte
    /// RFC 8285 §4.3: profile `0x100X` (X = 4 "appbits"); 8-bit id (1...255) and
    /// 8-bit length, so 0...255 data bytes per element. A zero byte is padding.
    case twoByte

    /// The "defined by profile" value of the one-byte form (RFC 8285 §4.2).
    public static let oneByteProfile: UInt16 = 0xBEDE
    /// The "defined by profile" value of the two-byte form, appbits zero (RFC 8285 §4.3).
    public static let twoByteProfile: UInt16 = 0x1000

    /// The form selected by an RTP extension profile value, or nil for other profiles.
    public init?(profile: UInt16) {
        if profile == Self.oneByteProfile {
            self = .oneByte
        } else if profile & 0xFFF0 == Self.twoByteProfile {
            self = .twoByte
        } else {
            return nil
        }
    }

    /// The profile value written for this form.
    public var profile: UInt16 {
        switch self {
        case .oneByte: Self.oneByteProfile
        case .twoByte: Self.twoByteProfile
        }
    }

    /// Bound on the number of elements parsed or written (anything more is `.tooLarge`):
    /// 16 for the one-byte form (at most 14 distinct ids exist), 255 for the two-byte form.
    public var maxElements: Int {
        switch self {
        case .oneByte: 16
        case .twoByte: 255
        }
    }

    /// Ids an element may carry in this form.
    public var validIDs: ClosedRange<UInt8> {
        switch self {
        case .oneByte: 1...14
        case .twoByte: 1...255
        }
    }

    /// Data lengths an element may carry in this form.
    public var validDataLengths: ClosedRange<Int> {
        switch self {
        case .oneByte: 1...16
        case .twoByte: 0...255
        }
    }
}
