/// The 5-bit `nal_unit_type` (ITU-T H.264 Table 7-1) and the RTP packet types of RFC 6184 §5.2.
public struct H264NALUnitType: RawRepresentable, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue & 0x1F }

    /// The type in the low 5 bits of a NAL unit header byte.
    public init(header: UInt8) { self.init(rawValue: header) }

    public static let slice = H264NALUnitType(rawValue: 1)
    /// Instantaneous decoder refresh: a key frame slice.
    public static let idr = H264NALUnitType(rawValue: 5)
    public static let sei = H264NALUnitType(rawValue: 6)
    public static let sps = H264NALUnitType(rawValue: 7)
    public static let pps = H264NALUnitType(rawValue: 8)
    public static let accessUnitDelimiter = H264NALUnitType(rawValue: 9)
    /// Single-time aggregation packet (RFC 6184 §5.7.1).
    public static let stapA = H264NALUnitType(rawValue: 24)
    public static let stapB = H264NALUnitType(rawValue: 25)
    public static let mtap16 = H264NALUnitType(rawValue: 26)
    public static let mtap24 = H264NALUnitType(rawValue: 27)
    /// Fragmentation unit (RFC 6184 §5.8).
    public static let fuA = H264NALUnitType(rawValue: 28)
    public static let fuB = H264NALUnitType(rawValue: 29)

    /// A NAL unit that may stand alone in an RTP packet (1-23, RFC 6184 §5.6).
    public var isSingleNALUnit: Bool { (1...23).contains(rawValue) }
}
