/// One RFC 8285 §4 header-extension element: its local id and where its data lies.
///
/// `range` indexes the same array as the `RTPHeaderExtension.data` it came from
/// (for a parsed packet: the datagram), so no data is copied.
public struct HeaderExtensionElement: Sendable, Equatable {
    /// Local identifier (RFC 8285 §5 `extmap` id).
    public let id: UInt8
    /// Absolute byte range of the element data in the underlying array.
    public let range: Range<Int>

    public init(id: UInt8, range: Range<Int>) {
        self.id = id
        self.range = range
    }
}

/// Walks the elements of a one-byte or two-byte extension block without allocating.
struct HeaderExtensionElementCursor {
    let data: ArraySlice<UInt8>
    let form: HeaderExtensionForm
    private var index: Int
    private var produced = 0

    init(data: ArraySlice<UInt8>, form: HeaderExtensionForm) {
        self.data = data
        self.form = form
        self.index = data.startIndex
    }

    /// The next element, nil at the end (or at id 15 in the one-byte form, RFC 8285 §4.2).
    mutating func next() throws(WireError) -> HeaderExtensionElement? {
        let end = data.endIndex
        while index < end {
            let first = data[index]
            let id: UInt8
            let length: Int
            let dataStart: Int
            switch form {
            case .oneByte:
                id = first >> 4
                if id == 0 { index += 1; continue } // padding byte
                if id == 15 { index = end; return nil } // reserved: stop processing
                length = Int(first & 0x0F) + 1
                dataStart = index + 1
            case .twoByte:
                id = first
                if id == 0 { index += 1; continue } // padding byte
                guard end - index >= 2 else {
                    throw WireError(.truncated, "RTP two-byte header extension element length")
                }
                length = Int(data[index + 1])
                dataStart = index + 2
            }
            guard length <= end - dataStart else {
                throw WireError(.truncated, "RTP header extension element data")
            }
            produced += 1
            guard produced <= form.maxElements else {
                throw WireError(.tooLarge, "RTP header extension element count")
            }
            index = dataStart + length
            return HeaderExtensionElement(id: id, range: dataStart..<(dataStart + length))
        }
        return nil
    }
}
