/// The header extension block of an RTP packet (RFC 3550 §5.3.1), usually in one of the
/// RFC 8285 §4 forms.
///
/// `data` is the extension body after the 4-byte profile/length word. For a parsed
/// packet it is a slice of the datagram (no copy); its indices are datagram offsets.
public struct RTPHeaderExtension: Sendable, Equatable {
    /// Largest body the 16-bit length-in-words field can describe.
    public static let maxDataLength = Int(UInt16.max) * 4

    /// The 16-bit "defined by profile" field.
    public let profile: UInt16
    /// The extension body; its count is a multiple of 4.
    public let data: ArraySlice<UInt8>

    /// Absolute range of `data` in the underlying array.
    public var dataRange: Range<Int> { data.startIndex..<data.endIndex }

    /// The RFC 8285 form, or nil if `profile` is neither 0xBEDE nor 0x100X.
    public var form: HeaderExtensionForm? { HeaderExtensionForm(profile: profile) }

    /// Wraps raw extension bytes. Throws `.malformed` unless `data.count` is a multiple of 4,
    /// `.tooLarge` if it exceeds `maxDataLength`.
    public init(profile: UInt16, data: ArraySlice<UInt8>) throws(WireError) {
        guard data.count & 3 == 0 else {
            throw WireError(.malformed, "RTP header extension length not a multiple of 4")
        }
        guard data.count <= Self.maxDataLength else {
            throw WireError(.tooLarge, "RTP header extension length")
        }
        self.profile = profile
        self.data = data
    }

    init(validatedProfile profile: UInt16, data: ArraySlice<UInt8>) {
        self.profile = profile
        self.data = data
    }

    /// Builds an RFC 8285 extension block from elements, zero-padded to 32 bits.
    ///
    /// With `form == nil` the one-byte form is chosen when every id is in 1...14 and every
    /// data length in 1...16, the two-byte form otherwise. Throws `.malformed` for an id or
    /// length the form cannot carry and `.tooLarge` for more than `form.maxElements` elements.
    public init(elements: [(id: UInt8, data: [UInt8])], form: HeaderExtensionForm? = nil) throws(WireError) {
        let chosen: HeaderExtensionForm
        if let form {
            chosen = form
        } else {
            let oneByte = HeaderExtensionForm.oneByte
            let fits = elements.allSatisfy {
                oneByte.validIDs.contains($0.id) && oneByte.validDataLengths.contains($0.data.count)
            }
            chosen = fits ? .oneByte : .twoByte
        }
        guard elements.count <= chosen.maxElements else {
            throw WireError(.tooLarge, "RTP header extension element count")
        }
        var out: [UInt8] = []
        out.reserveCapacity(elements.reduce(3) { $0 + 2 + $1.data.count })
        for element in elements {
            guard chosen.validIDs.contains(element.id) else {
                throw WireError(.malformed, "RTP header extension id \(element.id) invalid for \(chosen)")
            }
            guard chosen.validDataLengths.contains(element.data.count) else {
                throw WireError(.malformed, "RTP header extension data length \(element.data.count) invalid for \(chosen)")
            }
            switch chosen {
            case .oneByte:
                out.append(element.id << 4 | UInt8(element.data.count - 1))
            case .twoByte:
                out.append(element.id)
                out.append(UInt8(element.data.count))
            }
            out.append(contentsOf: element.data)
        }
        while out.count & 3 != 0 { out.append(0) }
        self.profile = chosen.profile
        self.data = out[...]
    }

    /// All elements in order (padding skipped; a one-byte id 15 ends the list).
    /// Throws `.unsupported` for a non-RFC 8285 profile, `.truncated` when an element
    /// overruns the block, `.tooLarge` beyond `form.maxElements` elements.
    public func elements() throws(WireError) -> [HeaderExtensionElement] {
        var cursor = try makeCursor()
        var result: [HeaderExtensionElement] = []
        while let element = try cursor.next() { result.append(element) }
        return result
    }

    /// The data of the first element with `id`, nil if absent. Does not allocate.
    public func element(id: UInt8) throws(WireError) -> ArraySlice<UInt8>? {
        var cursor = try makeCursor()
        while let element = try cursor.next() {
            if element.id == id { return data[element.range] }
        }
        return nil
    }

    private func makeCursor() throws(WireError) -> HeaderExtensionElementCursor {
        guard let form else {
            throw WireError(.unsupported, "RTP header extension profile \(profile)")
        }
        return HeaderExtensionElementCursor(data: data, form: form)
    }
}
