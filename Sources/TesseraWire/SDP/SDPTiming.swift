/// A `t=` line (RFC 8866 §5.9) with the `r=` lines that follow it (§5.10). WebRTC uses `t=0 0`.
public struct SDPTiming: Sendable, Hashable {
    public var start: UInt64
    public var stop: UInt64
    /// `r=` values, kept as text.
    public var repeats: [String]

    public init(start: UInt64 = 0, stop: UInt64 = 0, repeats: [String] = []) {
        self.start = start
        self.stop = stop
        self.repeats = repeats
    }

    init(parsing value: Substring) throws(WireError) {
        let fields = SDPText.tokens(value)
        guard fields.count == 2 else { throw WireError(.malformed, "t=: expected 2 fields") }
        self.init(start: try SDPText.number(fields[0], "t= start"), stop: try SDPText.number(fields[1], "t= stop"))
    }
}
