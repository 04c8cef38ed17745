/// `a=msid:<stream id> [<track id>]` (RFC 8830 §2); the stream id `-` means "no stream".
public struct SDPMediaStreamID: Sendable, Hashable {
    public var streamID: String
    public var trackID: String?

    public init(streamID: String, trackID: String? = nil) {
        self.streamID = streamID
        self.trackID = trackID
    }

    init(parsing value: Substring) throws(WireError) {
        let fields = SDPText.tokens(value)
        guard fields.count == 1 || fields.count == 2 else { throw WireError(.malformed, "msid: expected 1 or 2 fields") }
        self.init(streamID: String(fields[0]), trackID: fields.count == 2 ? String(fields[1]) : nil)
    }

    var value: String { streamID + (trackID.map { " \($0)" } ?? "") }
}
