import TesseraTransport

/// The media port's counters in Prometheus text format (they live on the port's event
/// loop and are read as one snapshot per scrape).
enum TransportMetricsText {
    static func render(_ counters: TransportCounters, sessions: Int) -> String {
        var out = ""
        func counter(_ name: String, _ help: String, _ samples: [(labels: String, value: Int)]) {
            out += "# HELP tessera_\(name) \(help)\n# TYPE tessera_\(name) counter\n"
            for sample in samples { out += "tessera_\(name)\(sample.labels) \(sample.value)\n" }
        }
        counter("packets_in_total", "Datagrams received on the media port, by RFC 7983 class", [
            ("{class=\"stun\"}", counters.stunIn), ("{class=\"dtls\"}", counters.dtlsIn),
            ("{class=\"rtp\"}", counters.rtpIn), ("{class=\"rtcp\"}", counters.rtcpIn),
        ])
        counter("packets_decrypted_total", "SRTP/SRTCP packets that decrypted and parsed", [
            ("{class=\"rtp\"}", counters.rtpDecrypted), ("{class=\"rtcp\"}", counters.rtcpDecrypted),
        ])
        counter("packets_dropped_total", "Datagrams dropped, by reason",
            TransportCounters.DropReason.allCases.map { ("{reason=\"\($0.rawValue)\"}", counters.dropped[$0] ?? 0) })
        counter("packets_out_total", "Datagrams sent on the media port", [("", counters.datagramsOut)])
        counter("send_batches_total", "Batches the media port's datagrams left in, one system call each", [("", counters.sendBatches)])
        counter("frames_in_total", "Complete frames received from peers", [("", counters.framesIn)])
        counter("rtp_out_total", "RTP packets sent to peers (first transmissions)", [("", counters.rtpOut)])
        counter("retransmissions_total", "RTP retransmissions, by direction", [
            ("{direction=\"in\"}", counters.retransmissionsIn), ("{direction=\"out\"}", counters.retransmissionsOut),
        ])
        counter("nacks_total", "RTCP generic NACKs, by direction", [
            ("{direction=\"in\"}", counters.nacksIn), ("{direction=\"out\"}", counters.nacksOut),
        ])
        counter("keyframe_requests_total", "PLI/FIR, by direction", [
            ("{direction=\"in\"}", counters.keyframeRequestsIn), ("{direction=\"out\"}", counters.keyframeRequestsOut),
        ])
        counter("media_bytes_in_total", "Bytes received on the media port", [("", counters.bytesIn)])
        counter("media_bytes_out_total", "Bytes sent on the media port", [("", counters.bytesOut)])
        out += "# HELP tessera_media_sessions Live WebRTC sessions\n# TYPE tessera_media_sessions gauge\ntessera_media_sessions \(sessions)\n"
        return out
    }
}
