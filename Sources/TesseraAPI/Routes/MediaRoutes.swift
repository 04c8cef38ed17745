import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TesseraStore
import TesseraTransport
import TesseraWire

/// WHIP and WHEP (RFC 9725; API.md, Media sessions): an SDP offer in, an ICE-lite answer
/// out, a session URL to PATCH (trickle) and DELETE (leave). The URL ends in the session's
/// secret key (`SessionKey`); the participant id comes in `Tessera-Participant-Id`.
struct MediaRoutes {
    let server: ServerContext

    func add(to group: RouterGroup<APIContext>) {
        group.post("rooms/{id}/whip") { request, context in try await self.offer(request, context, role: .publisher) }
        group.post("rooms/{id}/whep") { request, context in try await self.offer(request, context, role: .viewer) }
        group.patch("rooms/{id}/sessions/{key}", use: patch)
        group.delete("rooms/{id}/sessions/{key}", use: delete)
    }

    private var media: MediaContext {
        get throws {
            guard let media = server.media else {
                throw APIError(.serviceUnavailable, "media_unavailable", "the media port is not running")
            }
            return media
        }
    }

    func offer(_ request: Request, _ context: APIContext, role: ParticipantRole) async throws -> Response {
        let media = try self.media
        let room = try server.store.room(id: try context.parameters.require("id"))
        let identity = try await MediaAuthorization(server: server).identity(for: request, room: room, wants: role)
        var request = request
        let offer = try await request.sdpBody(context: context)
        if media.isShuttingDown() {
            throw APIError(.serviceUnavailable, "shutting_down", "the server is shutting down")
        }
        if role == .publisher, await server.participants.participants(roomId: room.id).count >= room.maxParticipants {
            throw APIError(.serviceUnavailable, "room_full", "room \(room.id) is full (\(room.maxParticipants) participants)")
        }
        let negotiation: Negotiation
        do {
            negotiation = try media.negotiator.answer(offer: offer, role: role == .publisher ? .publisher : .viewer)
        } catch {
            switch error.kind {
            case .malformed: throw APIError(.badRequest, "bad_sdp", error.message)
            case .unacceptable: throw APIError(.unprocessableContent, "unacceptable_sdp", error.message)
            }
        }
        let id = Identifier.make()
        let key = SessionKey.make()
        let session = try await media.port.open(negotiation: negotiation, id: id)
        do {
            try await media.supervisor.track(session, key: key, room: room, identity: identity, joinedAt: Timestamp.now())
        } catch {
            await session.close(.left)
            throw error
        }
        await media.recordings.autoStart(room: room)
        return Response(
            status: .created,
            headers: [
                .contentType: "application/sdp",
                .location: "/v1/rooms/\(room.id)/sessions/\(key.text)",
                .tesseraParticipantId: id,
                .eTag: "\"\(negotiation.localICE.ufrag)\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: negotiation.answerText)))
    }

    /// `PATCH <session URL>`, by content type: `application/trickle-ice-sdpfrag` is trickle
    /// ICE or an ICE restart (RFC 9725 §4.3); `application/json` is the participant muting
    /// itself (`{"audioMuted", "videoMuted"}`, as the admin's participant `PATCH`), so a page
    /// needs no admin key for its own mute buttons.
    @Sendable func patch(_ request: Request, context: APIContext) async throws -> Response {
        let (session, media) = try await authorizedSession(request, context)
        let type = request.headers[.contentType]?.lowercased() ?? ""
        if type.hasPrefix("application/json") {
            var request = request
            let change = try await MuteChange.read(&request, context: context)
            let updated = try await change.apply(participantId: session.id, roomId: try context.parameters.require("id"), server: server)
            return .json(Representation.participant(updated))
        }
        guard type.hasPrefix("application/trickle-ice-sdpfrag") else {
            throw APIError(
                .unsupportedMediaType, "unsupported_media_type",
                "PATCH takes application/trickle-ice-sdpfrag (ICE) or application/json (mute)")
        }
        return try await trickle(request, session: session, media: media)
    }

    /// Trickle ICE and ICE restart (RFC 9725 §4.3). Tessera is ICE-lite with its candidate
    /// in the answer, so trickled client candidates need no action (204). A fragment with a
    /// new `a=ice-ufrag`/`a=ice-pwd` restarts ICE: 200 with our new credentials and candidate.
    private func trickle(_ request: Request, session: PeerSession, media: MediaContext) async throws -> Response {
        var request = request
        let fragment = String(buffer: try await request.collectBody(upTo: 16 * 1024))
        func value(_ name: String) -> String? {
            fragment.split(whereSeparator: \.isNewline).lazy
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .first { $0.hasPrefix("a=\(name):") }
                .map { String($0.dropFirst(name.count + 3)) }
        }
        guard let ufrag = value("ice-ufrag"), ufrag != (await session.remoteICE())?.ufrag else {
            return Response(status: .noContent)
        }
        guard let password = value("ice-pwd") else {
            throw APIError(.badRequest, "bad_sdp", "an ICE restart needs a=ice-pwd with the new a=ice-ufrag")
        }
        guard Self.isICEChars(ufrag, 4...256), Self.isICEChars(password, 22...256) else {
            throw APIError(.badRequest, "bad_sdp", "ice-ufrag must be 4-256 and ice-pwd 22-256 ice-chars (RFC 8839 §5.4)")
        }
        guard let local = await session.restartICE(remote: ICECredentials(ufrag: ufrag, password: password)) else {
            throw APIError.notFound("session \(session.id) ended")
        }
        var lines = ["a=ice-lite", "a=group:BUNDLE \(session.negotiation.media.map(\.mid).joined(separator: " "))"]
        let candidate = "a=candidate:1 1 udp \(ICECandidate.priority(typePreference: 126, localPreference: 65535, component: 1)) "
            + "\(media.negotiator.candidateAddress) \(media.negotiator.candidatePort) typ host"
        for section in session.negotiation.media {
            lines += [
                "m=\(section.kind.rawValue) 9 UDP/TLS/RTP/SAVPF \(section.codec.payloadType)", "a=mid:\(section.mid)",
                "a=ice-ufrag:\(local.ufrag)", "a=ice-pwd:\(local.password)", candidate, "a=end-of-candidates",
            ]
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/trickle-ice-sdpfrag", .eTag: "\"\(local.ufrag)\""],
            body: .init(byteBuffer: ByteBuffer(string: lines.joined(separator: "\r\n") + "\r\n")))
    }

    static func isICEChars(_ text: String, _ length: ClosedRange<Int>) -> Bool {
        length.contains(text.utf8.count)
            && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x2B || $0 == 0x2F }
    }

    @Sendable func delete(_ request: Request, context: APIContext) async throws -> Response {
        let (session, media) = try await authorizedSession(request, context)
        await media.supervisor.end(id: session.id, reason: .left)
        return Response(status: .ok)
    }

    /// The live session of the URL, after the same authorisation as the offer that made it.
    /// An unknown key (a participant id included) is a 404 and changes nothing.
    private func authorizedSession(_ request: Request, _ context: APIContext) async throws -> (PeerSession, MediaContext) {
        let media = try self.media
        let room = try server.store.room(id: try context.parameters.require("id"))
        _ = try await MediaAuthorization(server: server).identity(for: request, room: room, wants: .viewer)
        let key = try context.parameters.require("key")
        guard let session = await media.supervisor.session(key: key, roomId: room.id) else {
            throw APIError.notFound("session \(key) is not live in room \(room.id)")
        }
        return (session, media)
    }
}

extension Request {
    /// Reads an `application/sdp` body (415 otherwise; 413 over the SDP size bound).
    mutating func sdpBody(context: some RequestContext) async throws -> String {
        guard headers[.contentType]?.lowercased().hasPrefix("application/sdp") == true else {
            throw APIError(.unsupportedMediaType, "unsupported_media_type", "send the offer as application/sdp")
        }
        let buffer = try await collectBody(upTo: 64 * 1024)
        guard buffer.readableBytes > 0 else { throw APIError(.badRequest, "bad_sdp", "the offer is empty") }
        return String(buffer: buffer)
    }
}
