import Foundation
import Hummingbird
import TesseraMixer
import TesseraStore
import TesseraTransport

/// `/v1/rooms` (API.md, Rooms).
struct RoomRoutes {
    let server: ServerContext

    static let createFields: Set<String> = ["name", "layout", "access", "maxParticipants", "autoRecord", "video"]
    static let patchFields: Set<String> = ["name", "layout", "maxParticipants", "autoRecord", "video"]
    static let videoFields: Set<String> = ["width", "height", "fps", "bitrateKbps"]

    func add(to group: RouterGroup<APIContext>) {
        group.post("rooms", use: create)
        group.get("rooms", use: list)
        group.get("rooms/{id}", use: get)
        group.patch("rooms/{id}", use: update)
        group.delete("rooms/{id}", use: delete)
    }

    @Sendable func create(_ request: Request, context: APIContext) async throws -> Response {
        var request = request
        let body = JSONFields(try await request.jsonObject(context: context))
        try body.onlyKnown(Self.createFields)
        guard let name = try body.string("name") else { throw APIError.invalid("name is required") }
        var room = Room(name: name)
        room.layout = try body.choice("layout", RoomLayout.self) ?? room.layout
        room.access = try body.choice("access", RoomAccess.self) ?? room.access
        room.maxParticipants = try body.integer("maxParticipants") ?? room.maxParticipants
        room.autoRecord = try body.bool("autoRecord") ?? room.autoRecord
        if let video = try body.object("video") {
            try video.onlyKnown(Self.videoFields)
            room.video.width = try video.integer("width") ?? room.video.width
            room.video.height = try video.integer("height") ?? room.video.height
            room.video.fps = try video.integer("fps") ?? room.video.fps
            room.video.bitrateKbps = try video.integer("bitrateKbps") ?? room.video.bitrateKbps
        }
        let created = try server.store.createRoom(room)
        server.logger.info("room created", metadata: ["room": "\(created.id)", "name": "\(created.name)"])
        return .json(status: .created, Representation.room(created))
    }

    @Sendable func list(_ request: Request, context: APIContext) async throws -> Response {
        .json(.object([("rooms", .array(try server.store.rooms().map(Representation.room)))]))
    }

    @Sendable func get(_ request: Request, context: APIContext) async throws -> Response {
        let room = try server.store.room(id: try context.parameters.require("id"))
        let live = await server.participants.participants(roomId: room.id)
        let meetingId = try server.store.openMeetingId(roomId: room.id)
        let recording = try server.store.activeRecording(roomId: room.id)
        return .json(Representation.roomDetail(room, participants: live, meetingId: meetingId, recording: recording))
    }

    @Sendable func update(_ request: Request, context: APIContext) async throws -> Response {
        let id = try context.parameters.require("id")
        var request = request
        let body = JSONFields(try await request.jsonObject(context: context))
        if body.value["access"] != nil { throw APIError.invalid("access cannot be changed; create a new room") }
        try body.onlyKnown(Self.patchFields)
        var changes = RoomChanges()
        changes.name = try body.string("name")
        changes.layout = try body.choice("layout", RoomLayout.self)
        changes.maxParticipants = try body.integer("maxParticipants")
        changes.autoRecord = try body.bool("autoRecord")
        if let video = try body.object("video") {
            try video.onlyKnown(Self.videoFields)
            changes.videoWidth = try video.integer("width")
            changes.videoHeight = try video.integer("height")
            changes.videoFPS = try video.integer("fps")
            changes.videoBitrateKbps = try video.integer("bitrateKbps")
        }
        let previousLayout = try changes.layout.map { _ in try server.store.room(id: id).layout }
        let room = try server.store.updateRoom(id: id, changes)
        await server.media?.rooms.apply(roomId: id, settings: MixerSettings(room))
        if let previousLayout, previousLayout != room.layout {
            server.events.publish(RoomEvent(.layoutChanged(room.layout)), roomId: id)
        }
        server.logger.info("room updated", metadata: ["room": "\(id)"])
        return .json(Representation.room(room))
    }

    @Sendable func delete(_ request: Request, context: APIContext) async throws -> Response {
        let id = try context.parameters.require("id")
        _ = try server.store.room(id: id)
        let meetingId = try server.store.openMeetingId(roomId: id)
        // Deleted first, so no one joins while the others are sent away; the meeting and its
        // attendances end here with room-deleted.
        try server.store.deleteRoom(id: id)
        await server.participants.disconnectAll(roomId: id, reason: LeaveReason.roomDeleted.rawValue)
        // Their participant-left events go out before the events sockets close.
        await server.media?.supervisor.endAll(roomId: id, reason: .roomDeleted)
        if let meetingId { server.events.publish(RoomEvent(.meetingEnded(meetingId: meetingId)), roomId: id) }
        server.events.close(roomId: id)
        server.logger.info("room deleted", metadata: ["room": "\(id)"])
        return Response(status: .noContent)
    }
}
