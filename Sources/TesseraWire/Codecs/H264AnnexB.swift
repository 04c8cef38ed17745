/// The Annex B byte stream of ITU-T H.264: NAL units separated by start codes 00 00 01 or
/// 00 00 00 01 (trailing zero bytes belong to the next start code).
public enum H264AnnexB {
    /// The start code the depacketizer writes.
    public static let startCode: [UInt8] = [0, 0, 0, 1]

    /// The NAL units of `stream`, without start codes; empty units are skipped. Throws when
    /// the stream does not begin with a start code (after optional zero bytes).
    public static func nalUnits(in stream: [UInt8]) throws(WireError) -> [ArraySlice<UInt8>] {
        var units: [ArraySlice<UInt8>] = []
        var start: Int?
        var index = 0
        var zeros = 0
        while index < stream.count {
            let byte = stream[index]
            if byte == 1, zeros >= 2 {
                if let start { append(stream[start..<(index - zeros)], to: &units) }
                start = index + 1
                zeros = 0
            } else if byte == 0 {
                zeros += 1
            } else {
                guard start != nil else { throw WireError(.malformed, "H.264 Annex B: no start code") }
                zeros = 0
            }
            index += 1
        }
        if let start { append(stream[start...], to: &units) }
        return units
    }

    private static func append(_ unit: ArraySlice<UInt8>, to units: inout [ArraySlice<UInt8>]) {
        var end = unit.endIndex
        while end > unit.startIndex, unit[end - 1] == 0 { end -= 1 }
        if end > unit.startIndex { units.append(unit[unit.startIndex..<end]) }
    }
}
