import COpus

/// Opus constants shared by `OpusEncoder` and `OpusDecoder` (RFC 6716, RFC 7587).
public enum OpusCodec {
    /// Tessera runs Opus at 48 kHz only; RTP timestamps tick at the same rate (RFC 7587 §4.1).
    public static let sampleRate = 48_000
    /// Samples per channel in one 20 ms frame, what WebRTC clients send.
    public static let samplesPer20ms = 960
    /// Largest packet accepted for decode: three maximum-size frames (RFC 6716 §3.4, R2).
    public static let maxPacketBytes = 1275 * 3
    /// Longest packet duration, 120 ms, in samples per channel (RFC 6716 §3.2.5).
    public static let maxSamplesPerChannel = 5760

    /// Checks a libopus return value once for every call: negative is an error, anything
    /// else is the call's result. A packet libopus cannot parse is the caller's bad input;
    /// every other failure keeps the libopus code.
    @discardableResult
    static func check(_ result: Int32, _ operation: @autoclosure () -> String) throws(MediaError) -> Int {
        guard result < 0 else { return Int(result) }
        let reason = String(cString: opus_strerror(result))
        if result == OPUS_INVALID_PACKET {
            throw MediaError.badInput("\(operation()): \(reason)")
        }
        throw MediaError.codec(code: result, "\(operation()): \(reason)")
    }

    static func validateChannels(_ channels: Int) throws(MediaError) {
        guard channels == 1 || channels == 2 else {
            throw MediaError.unsupported("Opus with \(channels) channels; Tessera uses 1 or 2")
        }
    }
}
