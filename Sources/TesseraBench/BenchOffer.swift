import TesseraTransport
import TesseraWire

/// A browser-like sendrecv offer with one BUNDLE: Opus (payload type 111) and VP8 (96, with
/// NACK, PLI and RTX 97), each announcing its sender SSRC. The in-process transport run and
/// the load client both offer it.
struct BenchOffer {
    static let audioPayloadType: UInt8 = 111
    static let videoPayloadType: UInt8 = 96

    var credentials: ICECredentials
    var fingerprint: DTLSFingerprint
    var audioSSRC: UInt32
    var videoSSRC: UInt32
    var cname: String
    /// The host candidate (127.0.0.1:port) to announce, if any.
    var candidatePort: Int?

    var sdp: String {
        let fingerprintLine = "a=fingerprint:sha-256 \(SDPFingerprint(hashFunction: "sha-256", bytes: fingerprint.bytes).hexString)\r\n"
        let candidate = candidatePort.map { "a=candidate:1 1 udp 2130706431 127.0.0.1 \($0) typ host\r\n" } ?? ""
        let common = "c=IN IP4 127.0.0.1\r\na=sendrecv\r\na=rtcp-mux\r\na=ice-ufrag:\(credentials.ufrag)\r\n"
            + "a=ice-pwd:\(credentials.password)\r\n" + fingerprintLine + "a=setup:actpass\r\n" + candidate
        return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF \(Self.audioPayloadType)\r\n" + common + "a=mid:0\r\n"
            + "a=rtpmap:\(Self.audioPayloadType) opus/48000/2\r\na=ssrc:\(audioSSRC) cname:\(cname)\r\n"
            + "m=video 9 UDP/TLS/RTP/SAVPF \(Self.videoPayloadType) 97\r\n" + common + "a=mid:1\r\n"
            + "a=rtpmap:\(Self.videoPayloadType) VP8/90000\r\na=rtcp-fb:\(Self.videoPayloadType) nack\r\n"
            + "a=rtcp-fb:\(Self.videoPayloadType) nack pli\r\na=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=\(Self.videoPayloadType)\r\n"
            + "a=ssrc:\(videoSSRC) cname:\(cname)\r\n"
    }
}
