import Foundation
import NIOCore
import NIOPosix

/// The load client's participants on one event loop, driven by JSON lines (one request per
/// line on stdin, one reply per request on stdout, matched by `id`):
///
/// - `{"op": "join", "id": P, "input": I}`: a new participant P sending input file I (mod
///   the files) on a fresh 127.0.0.1 socket; replies `{"id": P, "offer": SDP}`.
/// - `{"op": "answer", "id": P, "sdp": SDP}`: P connects to the answer's candidate; replies
///   `{"id": P, "connected": true}` once SRTP is keyed (media starts then), or `{"id": P,
///   "error": why}`.
/// - `{"op": "report", "id": R, "start": S, "end": E}`: what every participant received in
///   [S, E) (CLOCK_MONOTONIC seconds, Python's `time.monotonic()`): `{"id": R,
///   "participants": {P: {"fps", "minSecondFps", "audioFps", "lateSent", "maxSendLagMs",
///   "srtpFailures"}}}`.
/// - `{"op": "leave", "id": P}`: P closes (DTLS close_notify) and is forgotten; replies
///   `{"id": P, "left": true}`.
///
/// A request that cannot be done gets `{"id": …, "error": why}`. End of input closes every
/// participant and ends the process.
final class LoadEngine {
    private let loop: any EventLoop
    private let inputs: BenchInputs
    private var participants: [String: LoadParticipant] = [:]
    /// Participants whose socket is still being opened.
    private var opening: Set<String> = []
    private var closing = false

    init(loop: any EventLoop, inputs: BenchInputs) {
        self.loop = loop
        self.inputs = inputs
    }

    func handle(_ line: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let id = object["id"] as? String, let op = object["op"] as? String
        else { return reply(["error": "not a JSON object with string \"op\" and \"id\": \(line.prefix(200))"]) }
        switch op {
        case "join": join(id, input: object["input"] as? Int ?? 0)
        case "answer":
            guard let sdp = object["sdp"] as? String else { return reply(["id": id, "error": "answer without \"sdp\""]) }
            answer(id, sdp: sdp)
        case "report":
            guard let start = object["start"] as? Double, let end = object["end"] as? Double, end > start else {
                return reply(["id": id, "error": "report needs numbers \"start\" < \"end\""])
            }
            reply(["id": id, "participants": participants.mapValues { report($0, start, end) }])
        case "leave":
            participants.removeValue(forKey: id)?.close()
            reply(["id": id, "left": true])
        default: reply(["id": id, "error": "unknown op \"\(op)\""])
        }
    }

    /// Closes every participant.
    func closeAll() {
        closing = true
        for participant in participants.values { participant.close() }
        participants = [:]
    }

    private func join(_ id: String, input: Int) {
        guard participants[id] == nil, !opening.contains(id) else { return reply(["id": id, "error": "participant \(id) exists"]) }
        opening.insert(id)
        let source = inputs.participants[((input % inputs.participants.count) + inputs.participants.count) % inputs.participants.count]
        let bound = NIOLoopBound(self, eventLoop: loop)
        DatagramBootstrap(group: loop)
            .channelOption(.socketOption(.so_rcvbuf), value: 1 << 20)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(LoadDatagramHandler()) }
            }
            .bind(host: "127.0.0.1", port: 0)
            .whenComplete { result in
                let engine = bound.value
                engine.opening.remove(id)
                do {
                    let channel = try result.get()
                    guard !engine.closing else { return channel.close(promise: nil) }
                    let participant = try LoadParticipant(id: id, channel: channel, inputs: source)
                    try channel.pipeline.syncOperations.handler(type: LoadDatagramHandler.self).participant = participant
                    engine.participants[id] = participant
                    engine.reply(["id": id, "offer": participant.offer])
                } catch {
                    engine.reply(["id": id, "error": "could not open participant \(id): \(error)"])
                }
            }
    }

    private func answer(_ id: String, sdp: String) {
        guard let participant = participants[id] else { return reply(["id": id, "error": "no participant \(id)"]) }
        let bound = NIOLoopBound(self, eventLoop: loop)
        do {
            try participant.answer(sdp) { failure in
                bound.value.reply(failure.map { ["id": id, "error": "\(id): \($0)"] } ?? ["id": id, "connected": true])
            }
        } catch {
            reply(["id": id, "error": "\(id): bad answer: \(error)"])
        }
    }

    private func report(_ participant: LoadParticipant, _ start: Double, _ end: Double) -> [String: Any] {
        let late = participant.late.filter { start <= $0.at && $0.at < end }.map(\.lag)
        return [
            "fps": participant.videoArrivals.rate(start, end),
            "minSecondFps": participant.videoArrivals.minPerSecond(start, end),
            "audioFps": participant.audioArrivals.rate(start, end),
            "lateSent": late.count,
            "maxSendLagMs": (late.max() ?? 0) * 1000,
            "srtpFailures": participant.srtpFailures,
            "connected": participant.isConnected,
        ]
    }

    private func reply(_ object: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}

/// Hands a participant's socket datagrams to it.
final class LoadDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    var participant: LoadParticipant?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let participant, var bytes = envelope.data.getBytes(at: envelope.data.readerIndex, length: envelope.data.readableBytes)
        else { return }
        participant.receive(&bytes, from: envelope.remoteAddress)
    }
}
