/// Property checks shared by the libFuzzer targets in `Fuzz/` and the corpus replay test.
///
/// Each check feeds arbitrary bytes to one parser. Refusing the input with a `WireError` is
/// fine; crashing is not, and neither is accepting it and then breaking a property: what
/// parses must re-serialize to bytes that parse again to the same value. A broken property
/// stops the process with `fatalError`, which libFuzzer reports as a crash and saves the input.
/// Each check returns true when the parser accepted the input.
public enum FuzzChecks {
    /// The fuzz targets, named as their corpus directories `Fuzz/corpus/<rawValue>/`.
    public enum Target: String, CaseIterable, Sendable {
        case rtp, rtcp, stun, sdp, vp8, h264

        /// Runs this target's check on `bytes`.
        @discardableResult
        public func check(_ bytes: [UInt8]) -> Bool {
            switch self {
            case .rtp: FuzzChecks.rtp(bytes)
            case .rtcp: FuzzChecks.rtcp(bytes)
            case .stun: FuzzChecks.stun(bytes)
            case .sdp: FuzzChecks.sdp(bytes)
            case .vp8: FuzzChecks.vp8(bytes)
            case .h264: FuzzChecks.h264(bytes)
            }
        }
    }

    /// Stops with `message` unless `condition` holds. `fatalError` keeps its message in
    /// optimized builds, unlike `precondition`.
    static func require(_ condition: Bool, _ message: @autoclosure () -> String,
                        file: StaticString = #fileID, line: UInt = #line) {
        if !condition { fatalError("FuzzChecks: \(message())", file: file, line: line) }
    }

    /// Lowercase hex, for failure messages.
    static func hex<C: Collection<UInt8>>(_ bytes: C) -> String {
        bytes.prefix(512).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
