import Foundation
import TesseraWire

/// Session descriptions: the browser and library offers of the SDP tests, and an ICE-lite
/// answer using the rarer lines.
enum SDPSeeds {
    static var all: [Seed] {
        [
            text("chrome-offer.sdp", SDPFixtures.crlf(SDPFixtures.chromeOffer)),
            text("firefox-offer.sdp", SDPFixtures.crlf(SDPFixtures.firefoxOffer)),
            text("aiortc-offer.sdp", SDPFixtures.crlf(SDPFixtures.aiortcOffer)),
            text("minimal.sdp", SDPFixtures.crlf(SDPFixtures.minimal)),
            text("minimal-lf.sdp", SDPFixtures.minimal + "\n"),
            Seed("aiortc-1.16-sendrecv-offer.sdp", Array(try! Data(contentsOf: URL(fileURLWithPath: aiortcFile)))),
            text("ice-lite-answer-rare-lines.sdp", """
                v=0\r
                o=tessera 8437213 2 IN IP6 ::1\r
                s=Tessera room\r
                i=mixed room\r
                u=https://example.com/room/1\r
                e=ops@example.com\r
                p=+1 555 0100\r
                c=IN IP4 192.0.2.10\r
                b=AS:2000\r
                t=3034423619 3042462419\r
                r=7d 1h 0 25h\r
                z=2882844526 -1h 2898848070 0\r
                k=prompt\r
                a=ice-lite\r
                a=group:BUNDLE a v d\r
                a=ice-ufrag:Kq1m\r
                a=ice-pwd:Zr3g8YpW2fLx0cVbN7sQaT\r
                a=fingerprint:sha-256 3A:91:C4:0F:5D:E2:77:18:AB:64:09:F3:2C:D8:41:9A:E6:0B:73:5F:C2:18:8D:A4:37:EE:50:91:6C:0D:B2:F8\r
                a=setup:passive\r
                a=ice-options:trickle renomination\r
                m=audio 9/2 UDP/TLS/RTP/SAVPF 111 0\r
                c=IN IP4 0.0.0.0\r
                b=TIAS:64000\r
                a=mid:a\r
                a=recvonly\r
                a=rtcp-mux\r
                a=rtpmap:111 opus/48000/2\r
                a=fmtp:111 minptime=10; useinbandfec=1;stereo\r
                a=rtcp-fb:* transport-cc\r
                a=extmap:1/recvonly urn:ietf:params:rtp-hdrext:ssrc-audio-level vad=on\r
                a=candidate:1 1 UDP 2130706431 2001:db8::1 40000 typ host generation 0 ufrag Kq1m network-id 2 network-cost 50\r
                a=candidate:2 1 tcp 1518280447 abcd-1234.local 9 typ host tcptype passive x-extension 7\r
                a=candidate:3 1 udp 1686052607 203.0.113.7 40001 typ srflx raddr 0.0.0.0 rport 0\r
                a=end-of-candidates\r
                m=video 9 UDP/TLS/RTP/SAVPF 96 97\r
                a=mid:v\r
                a=sendonly\r
                a=msid:stream track\r
                a=rtpmap:96 VP8/90000\r
                a=rtpmap:97 rtx/90000\r
                a=fmtp:97 apt=96\r
                a=rtcp-fb:96 nack pli\r
                a=rtcp-fb:96 ccm fir\r
                a=extmap:4096 urn:example:two-byte-id\r
                a=ssrc-group:FID 1111 2222\r
                a=ssrc:1111 cname:tessera\r
                a=ssrc:2222 cname:tessera\r
                a=rtcp-rsize\r
                m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r
                i=data\r
                k=clear:none\r
                a=mid:d\r
                a=sctp-port:5000\r
                a=max-message-size:262144\r
                a=inactive\r

                """),
        ]
    }

    /// The aiortc 1.16 offer kept with the transport tests.
    static var aiortcFile: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Tests/TesseraTransportTests/Fixtures/aiortc-1.16-sendrecv-offer.sdp").path
    }

    static func text(_ name: String, _ text: String) -> Seed { Seed(name, Array(text.utf8)) }
}
