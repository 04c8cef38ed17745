/// The transport-wide sequence number header extension
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2): 2 bytes, big-endian.
public struct TransportSequenceNumberExtension: RTPHeaderExtensionValue {
    public static let uri = HeaderExtensionURI.transportWideCC

    public let sequenceNumber: UInt16

    public init(sequenceNumber: UInt16) {
        self.sequenceNumber = sequenceNumber
    }

    /// Requires exactly 2 bytes.
    public init(parsing data: ArraySlice<UInt8>) throws(WireError) {
        guard data.count == 2 else { throw WireError(.malformed, "transport-wide-cc length \(data.count)") }
        sequenceNumber = UInt16(data[data.startIndex]) << 8 | UInt16(data[data.startIndex + 1])
    }

    public var encoded: [UInt8] { [UInt8(sequenceNumber >> 8), UInt8(truncatingIfNeeded: sequenceNumber)] }
}
