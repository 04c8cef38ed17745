/// Realistic offers as browsers and libraries write them (identifiers and keys made up).
enum SDPFixtures {
    /// `text` with CRLF line ends and a final CRLF, as on the wire.
    static func crlf(_ text: String) -> String {
        text.replacing("\n", with: "\r\n") + "\r\n"
    }

    /// Chrome: opus + RED, VP8 with RTX, two H.264 profiles with RTX, BUNDLE, gathered candidates.
    static let chromeOffer = """
        v=0
        o=- 4611731400430051336 2 IN IP4 127.0.0.1
        s=-
        t=0 0
        a=group:BUNDLE 0 1
        a=extmap-allow-mixed
        a=msid-semantic: WMS 3e7fb5b7-1c7d-4b6a-9a58-8a3c1c2a7e11
        m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
        c=IN IP4 0.0.0.0
        a=rtcp:9 IN IP4 0.0.0.0
        a=candidate:1467250027 1 udp 2122260223 192.168.1.23 56143 typ host generation 0 network-id 1 network-cost 10
        a=candidate:3290318149 1 udp 1686052607 203.0.113.77 56143 typ srflx raddr 192.168.1.23 rport 56143 generation 0 network-id 1 network-cost 10
        a=candidate:467250027 1 tcp 1518280447 192.168.1.23 9 typ host tcptype active generation 0 network-id 1 network-cost 10
        a=ice-ufrag:EsAw
        a=ice-pwd:bP+XJMM09aR8AiX1jdukzR6Y
        a=ice-options:trickle
        a=fingerprint:sha-256 D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:13:B4:84:24:2C:C2:A2:C0:3E:FD:34:8E:5E:EA:6F:AF:52:CE:E6:0F
        a=setup:actpass
        a=mid:0
        a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
        a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
        a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
        a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
        a=sendrecv
        a=msid:3e7fb5b7-1c7d-4b6a-9a58-8a3c1c2a7e11 9c4b4b52-4a8f-4f41-a4a6-2f6c0b2b0c1e
        a=rtcp-mux
        a=rtcp-rsize
        a=rtpmap:111 opus/48000/2
        a=rtcp-fb:111 transport-cc
        a=fmtp:111 minptime=10;useinbandfec=1
        a=rtpmap:63 red/48000/2
        a=fmtp:63 111/111
        a=rtpmap:9 G722/8000
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:13 CN/8000
        a=rtpmap:110 telephone-event/48000
        a=rtpmap:126 telephone-event/8000
        a=ssrc:1001895361 cname:4TOk42mSjXCkVIa6
        a=ssrc:1001895361 msid:3e7fb5b7-1c7d-4b6a-9a58-8a3c1c2a7e11 9c4b4b52-4a8f-4f41-a4a6-2f6c0b2b0c1e
        m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 104 105
        c=IN IP4 0.0.0.0
        a=rtcp:9 IN IP4 0.0.0.0
        a=ice-ufrag:EsAw
        a=ice-pwd:bP+XJMM09aR8AiX1jdukzR6Y
        a=ice-options:trickle
        a=fingerprint:sha-256 D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:13:B4:84:24:2C:C2:A2:C0:3E:FD:34:8E:5E:EA:6F:AF:52:CE:E6:0F
        a=setup:actpass
        a=mid:1
        a=extmap:14 urn:ietf:params:rtp-hdrext:toffset
        a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
        a=extmap:13 urn:3gpp:video-orientation
        a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
        a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay
        a=extmap:6 http://www.webrtc.org/experiments/rtp-hdrext/video-content-type
        a=extmap:7 http://www.webrtc.org/experiments/rtp-hdrext/video-timing
        a=extmap:8 http://www.webrtc.org/experiments/rtp-hdrext/color-space
        a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
        a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id
        a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id
        a=sendrecv
        a=msid:3e7fb5b7-1c7d-4b6a-9a58-8a3c1c2a7e11 5b9e4c0a-3f2d-4e1b-8a7c-6d5e4f3a2b1c
        a=rtcp-mux
        a=rtcp-rsize
        a=rtpmap:96 VP8/90000
        a=rtcp-fb:96 goog-remb
        a=rtcp-fb:96 transport-cc
        a=rtcp-fb:96 ccm fir
        a=rtcp-fb:96 nack
        a=rtcp-fb:96 nack pli
        a=rtpmap:97 rtx/90000
        a=fmtp:97 apt=96
        a=rtpmap:102 H264/90000
        a=rtcp-fb:102 goog-remb
        a=rtcp-fb:102 transport-cc
        a=rtcp-fb:102 ccm fir
        a=rtcp-fb:102 nack
        a=rtcp-fb:102 nack pli
        a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f
        a=rtpmap:103 rtx/90000
        a=fmtp:103 apt=102
        a=rtpmap:104 H264/90000
        a=rtcp-fb:104 goog-remb
        a=rtcp-fb:104 transport-cc
        a=rtcp-fb:104 ccm fir
        a=rtcp-fb:104 nack
        a=rtcp-fb:104 nack pli
        a=fmtp:104 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f
        a=rtpmap:105 rtx/90000
        a=fmtp:105 apt=104
        a=ssrc-group:FID 2231627014 632943048
        a=ssrc:2231627014 cname:4TOk42mSjXCkVIa6
        a=ssrc:2231627014 msid:3e7fb5b7-1c7d-4b6a-9a58-8a3c1c2a7e11 5b9e4c0a-3f2d-4e1b-8a7c-6d5e4f3a2b1c
        a=ssrc:632943048 cname:4TOk42mSjXCkVIa6
        a=ssrc:632943048 msid:3e7fb5b7-1c7d-4b6a-9a58-8a3c1c2a7e11 5b9e4c0a-3f2d-4e1b-8a7c-6d5e4f3a2b1c
        """

    /// Firefox: session-level fingerprint and ice-options, `/recvonly` extmaps, VP8 + VP9 + H.264, end-of-candidates.
    static let firefoxOffer = """
        v=0
        o=mozilla...THIS_IS_SDPARTA-128.0 5302934530375223587 0 IN IP4 0.0.0.0
        s=-
        t=0 0
        a=fingerprint:sha-256 50:3C:8B:0D:7E:61:2A:F4:19:C5:33:9E:04:B8:7D:A2:6F:E1:90:5C:2B:48:D3:77:AE:0C:65:F9:12:8A:B4:DE
        a=group:BUNDLE 0 1
        a=ice-options:trickle
        a=msid-semantic:WMS *
        m=audio 50432 UDP/TLS/RTP/SAVPF 109 9 0 8 101
        c=IN IP4 192.168.1.42
        a=candidate:0 1 UDP 2122252543 192.168.1.42 50432 typ host
        a=candidate:1 1 TCP 2105524479 192.168.1.42 9 typ host tcptype active
        a=candidate:2 1 UDP 8331263 198.51.100.20 61234 typ relay raddr 198.51.100.20 rport 61234
        a=sendrecv
        a=end-of-candidates
        a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
        a=extmap:2/recvonly urn:ietf:params:rtp-hdrext:csrc-audio-level
        a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid
        a=fmtp:109 maxplaybackrate=48000;stereo=1;useinbandfec=1
        a=fmtp:101 0-15
        a=ice-pwd:b7d8d9e2c6f54d1a1c0e5f3f0a9b8c7d
        a=ice-ufrag:3f2a1b0c
        a=mid:0
        a=msid:{6c8a2b0e-5d1f-4f3a-9b2e-1a2b3c4d5e6f} {0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0}
        a=rtcp-mux
        a=rtpmap:109 opus/48000/2
        a=rtpmap:9 G722/8000/1
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:101 telephone-event/8000/1
        a=setup:actpass
        a=ssrc:1797402355 cname:{c5d9f4b2-7a1e-4c3f-8b6d-2e9a0f1b3c4d}
        m=video 50432 UDP/TLS/RTP/SAVPF 120 124 121 125 126 127 97 98
        c=IN IP4 192.168.1.42
        a=sendrecv
        a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid
        a=extmap:4 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
        a=extmap:5 urn:ietf:params:rtp-hdrext:toffset
        a=extmap:6/recvonly http://www.webrtc.org/experiments/rtp-hdrext/playout-delay
        a=extmap:7 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
        a=fmtp:126 profile-level-id=42e01f;level-asymmetry-allowed=1;packetization-mode=1
        a=fmtp:97 profile-level-id=42e01f;level-asymmetry-allowed=1
        a=fmtp:120 max-fs=12288;max-fr=60
        a=fmtp:124 apt=120
        a=fmtp:121 max-fs=12288;max-fr=60
        a=fmtp:125 apt=121
        a=fmtp:127 apt=126
        a=fmtp:98 apt=97
        a=ice-pwd:b7d8d9e2c6f54d1a1c0e5f3f0a9b8c7d
        a=ice-ufrag:3f2a1b0c
        a=mid:1
        a=msid:{6c8a2b0e-5d1f-4f3a-9b2e-1a2b3c4d5e6f} {8e7d6c5b-4a39-2817-0f6e-5d4c3b2a1908}
        a=rtcp-fb:120 nack
        a=rtcp-fb:120 nack pli
        a=rtcp-fb:120 ccm fir
        a=rtcp-fb:120 goog-remb
        a=rtcp-fb:120 transport-cc
        a=rtcp-fb:121 nack
        a=rtcp-fb:121 nack pli
        a=rtcp-fb:121 ccm fir
        a=rtcp-fb:121 goog-remb
        a=rtcp-fb:121 transport-cc
        a=rtcp-fb:126 nack
        a=rtcp-fb:126 nack pli
        a=rtcp-fb:126 ccm fir
        a=rtcp-fb:126 goog-remb
        a=rtcp-fb:126 transport-cc
        a=rtcp-fb:97 nack
        a=rtcp-fb:97 nack pli
        a=rtcp-fb:97 ccm fir
        a=rtcp-fb:97 goog-remb
        a=rtcp-fb:97 transport-cc
        a=rtcp-mux
        a=rtcp-rsize
        a=rtpmap:120 VP8/90000
        a=rtpmap:124 rtx/90000
        a=rtpmap:121 VP9/90000
        a=rtpmap:125 rtx/90000
        a=rtpmap:126 H264/90000
        a=rtpmap:127 rtx/90000
        a=rtpmap:97 H264/90000
        a=rtpmap:98 rtx/90000
        a=setup:actpass
        a=ssrc:3546738458 cname:{c5d9f4b2-7a1e-4c3f-8b6d-2e9a0f1b3c4d}
        a=ssrc:1474862180 cname:{c5d9f4b2-7a1e-4c3f-8b6d-2e9a0f1b3c4d}
        a=ssrc-group:FID 3546738458 1474862180
        """

    /// aiortc (Python): media-level c= with the host address, candidates in every section, no trickle.
    static let aiortcOffer = """
        v=0
        o=- 3912345678 3912345678 IN IP4 0.0.0.0
        s=-
        t=0 0
        a=group:BUNDLE 0 1
        a=msid-semantic:WMS *
        m=audio 52834 UDP/TLS/RTP/SAVPF 96 0 8
        c=IN IP4 192.168.1.10
        a=sendrecv
        a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
        a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level
        a=mid:0
        a=msid:8d2bd3c1-9e2a-4a5d-9b0f-3c6e1d7a2b4f 5e3f1a2b-7c8d-4e9f-a0b1-c2d3e4f5a6b7
        a=rtcp:9 IN IP4 0.0.0.0
        a=rtcp-mux
        a=ssrc:3822165473 cname:9a0c3d55-2a1d-4b8e-8f3c-71b5e0d2c6a9
        a=rtpmap:96 opus/48000/2
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=candidate:d0b8f3a0e0b7f0bf9b8a2e6ebbd7c5a6 1 udp 2130706431 192.168.1.10 52834 typ host
        a=candidate:5c1d8e2f3a4b6c7d8e9f0a1b2c3d4e5f 1 udp 1694498815 203.0.113.5 52834 typ srflx raddr 192.168.1.10 rport 52834
        a=end-of-candidates
        a=ice-ufrag:Kq1m
        a=ice-pwd:Zr3g8YpW2fLx0cVbN7sQaT
        a=fingerprint:sha-256 3A:91:C4:0F:5D:E2:77:18:AB:64:09:F3:2C:D8:41:9A:E6:0B:73:5F:C2:18:8D:A4:37:EE:50:91:6C:0D:B2:F8
        a=setup:actpass
        m=video 52834 UDP/TLS/RTP/SAVPF 97 98 99 100 101 102
        c=IN IP4 192.168.1.10
        a=sendrecv
        a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
        a=extmap:3 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
        a=mid:1
        a=msid:8d2bd3c1-9e2a-4a5d-9b0f-3c6e1d7a2b4f 1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d
        a=rtcp:9 IN IP4 0.0.0.0
        a=rtcp-mux
        a=ssrc-group:FID 1293848473 2893740192
        a=ssrc:1293848473 cname:9a0c3d55-2a1d-4b8e-8f3c-71b5e0d2c6a9
        a=ssrc:2893740192 cname:9a0c3d55-2a1d-4b8e-8f3c-71b5e0d2c6a9
        a=rtpmap:97 VP8/90000
        a=rtcp-fb:97 nack
        a=rtcp-fb:97 nack pli
        a=rtcp-fb:97 goog-remb
        a=rtpmap:98 rtx/90000
        a=fmtp:98 apt=97
        a=rtpmap:99 H264/90000
        a=rtcp-fb:99 nack
        a=rtcp-fb:99 nack pli
        a=rtcp-fb:99 goog-remb
        a=fmtp:99 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f
        a=rtpmap:100 rtx/90000
        a=fmtp:100 apt=99
        a=rtpmap:101 H264/90000
        a=rtcp-fb:101 nack
        a=rtcp-fb:101 nack pli
        a=rtcp-fb:101 goog-remb
        a=fmtp:101 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f
        a=rtpmap:102 rtx/90000
        a=fmtp:102 apt=101
        a=candidate:d0b8f3a0e0b7f0bf9b8a2e6ebbd7c5a6 1 udp 2130706431 192.168.1.10 52834 typ host
        a=candidate:5c1d8e2f3a4b6c7d8e9f0a1b2c3d4e5f 1 udp 1694498815 203.0.113.5 52834 typ srflx raddr 192.168.1.10 rport 52834
        a=end-of-candidates
        a=ice-ufrag:Kq1m
        a=ice-pwd:Zr3g8YpW2fLx0cVbN7sQaT
        a=fingerprint:sha-256 3A:91:C4:0F:5D:E2:77:18:AB:64:09:F3:2C:D8:41:9A:E6:0B:73:5F:C2:18:8D:A4:37:EE:50:91:6C:0D:B2:F8
        a=setup:actpass
        """

    /// The smallest description the parser accepts, for error-position tests.
    static let minimal = """
        v=0
        o=- 1 1 IN IP4 0.0.0.0
        s=-
        t=0 0
        m=audio 9 UDP/TLS/RTP/SAVPF 111
        c=IN IP4 0.0.0.0
        a=rtpmap:111 opus/48000/2
        """
}
