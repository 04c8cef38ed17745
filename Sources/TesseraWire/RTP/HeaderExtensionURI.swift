/// `a=extmap` URIs of the header extensions TesseraWire understands (RFC 8285 §5).
public enum HeaderExtensionURI {
    /// RFC 8843 §15 (BUNDLE): SDES MID carried as an RTP header extension.
    public static let mid = "urn:ietf:params:rtp-hdrext:sdes:mid"
    /// WebRTC abs-send-time: 24-bit 6.18 fixed-point seconds.
    public static let absSendTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
    /// draft-holmer-rmcat-transport-wide-cc-extensions-01 §2: 16-bit transport-wide sequence number.
    public static let transportWideCC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
    /// RFC 6464: client-to-mixer audio level.
    public static let ssrcAudioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"
    /// RFC 6465: mixer-to-client audio levels.
    public static let csrcAudioLevel = "urn:ietf:params:rtp-hdrext:csrc-audio-level"
}

/// A typed header-extension value: knows its URI and how to read/write its element data.
public protocol RTPHeaderExtensionValue: Sendable, Equatable {
    /// The `a=extmap` URI naming this extension.
    static var uri: String { get }
    /// Decodes element data; throws `.malformed` when the length or content is wrong.
    init(parsing data: ArraySlice<UInt8>) throws(WireError)
    /// The element data to write.
    var encoded: [UInt8] { get }
}
