import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TesseraStore
import TesseraTransport

/// WHIP and WHEP (RFC 9725; API.md, Media sessions): an SDP offer in, an ICE-lite answer
/// out, a session URL to PATCH (trickle) and DELETE (leave).
struct MediaRoutes {
    let server: ServerContext

    func add(to group: RouterGroup<APIContext>) {
        group.post("rooms/{id}/whip") { request, context in try await self.offer(request, context, role: .publisher) }
        group.post("rooms/{id}/whep") { request, context in try await self.offer(request, context, role: .viewer) }
        group.patch("rooms/{id}/sessions/{sid}", use: patch)
        group.delete("rooms/{id}/sessions/{sid}", use: delete)
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
        let session = try await media.port.open(negotiation: negotiation, id: id)
        do {
            try await media.supervisor.track(session, room: room, identity: identity, joinedAt: Timestamp.now())
        } catch {
            await session.close(.left)
            throw error
        }
        return Response(
            status: .created,
            headers: [
                .contentType: "application/sdp",
                .location: "/v1/rooms/\(room.id)/sessions/\(id)",
                .eTag: "\"\(negotiation.localICE.ufrag)\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: negotiation.answerText)))
    }

    /// Trickle ICE (RFC 9725 §4.3): Tessera is ICE-lite with its candidate in the answer,
    /// so client candidates need no action; an ICE restart (new ufrag) is refused for now.
    @Sendable func patch(_ request: Request, context: APIContext) async throws -> Response {
        let (session, _) = try await authorizedSession(request, context)
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/trickle-ice-sdpfrag") == true else {
            throw APIError(.unsupportedMediaType, "unsupported_media_type", "PATCH takes application/trickle-ice-sdpfrag")
        }
        var request = request
        let fragment = String(buffer: try await request.collectBody(upTo: 16 * 1024))
        let ufrags = fragment.split(whereSeparator: \.isNewline).compactMap { line -> Substring? in
            line.hasPrefix("a=ice-ufrag:") ? line.dropFirst("a=ice-ufrag:".count) : nil
        }
        if let ufrag = ufrags.first, ufrag != Substring(session.negotiation.remoteICE.ufrag) {
            throw APIError(.unprocessableContent, "ice_restart_unsupported", "ICE restart is not supported yet; start a new session")
        }
        return Response(status: .noContent)
    }

    @Sendable func delete(_ request: Request, context: APIContext) async throws -> Response {
        let (session, media) = try await authorizedSession(request, context)
        await media.supervisor.end(id: session.id, reason: .left)
        return Response(status: .ok)
    }

    /// The live session of the URL, after the same authorisation as the offer that made it.
    private func authorizedSession(_ request: Request, _ context: APIContext) async throws -> (PeerSession, MediaContext) {
        let media = try self.media
        let room = try server.store.room(id: try context.parameters.require("id"))
        _ = try await MediaAuthorization(server: server).identity(for: request, room: room, wants: .viewer)
        let sid = try context.parameters.require("sid")
        guard let session = await media.supervisor.session(id: sid, roomId: room.id) else {
            throw APIError.notFound("session \(sid) is not live in room \(room.id)")
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
