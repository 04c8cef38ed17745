import Foundation
import Testing
@testable import TesseraStore

@Suite struct StoreRecordsTests {
    @Test func roomsAreCreatedReadUpdatedAndSoftDeleted() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.databasePath)
        let room = try store.createRoom(Room(name: "standup", layout: .speaker, access: .open, maxParticipants: 4))
        #expect(try store.room(id: room.id) == room)
        var changes = RoomChanges()
        changes.videoFPS = 15
        changes.name = "retro"
        let updated = try store.updateRoom(id: room.id, changes)
        #expect(updated.video == VideoSettings(width: 1280, height: 720, fps: 15, bitrateKbps: 1500))
        #expect(updated.name == "retro")
        #expect(try store.room(id: room.id) == updated)
        try store.deleteRoom(id: room.id)
        #expect(throws: StoreError.notFound("room", room.id)) { try store.room(id: room.id) }
        #expect(try store.rooms().isEmpty)
        #expect(throws: StoreError.self) { try store.deleteRoom(id: room.id) }
    }

    @Test func invalidRoomsAreRefusedAndNothingIsWritten() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.databasePath)
        let before = try store.dump()
        let bad: [(Room, String)] = [
            (Room(name: ""), "name"),
            (Room(name: String(repeating: "x", count: 101)), "name"),
            (Room(name: "x", maxParticipants: 0), "maxParticipants"),
            (Room(name: "x", maxParticipants: 65), "maxParticipants"),
            (Room(name: "x", video: VideoSettings(width: 5000, height: 720, fps: 30, bitrateKbps: 1500)), "video.width"),
            (Room(name: "x", video: VideoSettings(width: 1281, height: 720, fps: 30, bitrateKbps: 1500)), "video.width"),
            (Room(name: "x", video: VideoSettings(width: 1280, height: 50, fps: 30, bitrateKbps: 1500)), "video.height"),
            (Room(name: "x", video: VideoSettings(width: 1280, height: 720, fps: 61, bitrateKbps: 1500)), "video.fps"),
            (Room(name: "x", video: VideoSettings(width: 1280, height: 720, fps: 30, bitrateKbps: 10)), "video.bitrateKbps"),
        ]
        for (room, field) in bad {
            let error = #expect(throws: StoreError.self) { try store.createRoom(room) }
            #expect(error?.field == field)
        }
        let room = try store.createRoom(Room(name: "ok"))
        let afterCreate = try store.dump()
        var changes = RoomChanges()
        changes.videoHeight = 2000
        #expect(throws: StoreError.self) { try store.updateRoom(id: room.id, changes) }
        #expect(try store.dump() == afterCreate)
        #expect(before != afterCreate)
    }

    @Test func userNamesAreUniqueAndValidated() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.databasePath)
        let alice = try store.createUser(User(name: "alice", displayName: "Alice"))
        #expect(try store.user(id: alice.id) == alice)
        let duplicate = #expect(throws: StoreError.self) { try store.createUser(User(name: "alice")) }
        #expect(duplicate?.kind == .conflict)
        #expect(throws: StoreError.self) { _ = try store.createUser(User(name: "bad name")) }
        #expect(User(name: "bob").displayName == "bob")
        try store.deleteUser(id: alice.id)
        #expect(throws: StoreError.self) { try store.user(id: alice.id) }
        #expect(throws: StoreError.self) { try store.deleteUser(id: alice.id) }
    }

    @Test func meetingOpensWithFirstJoinAndClosesWithLastLeave() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.databasePath)
        let room = try store.createRoom(Room(name: "standup"))
        let user = try store.createUser(User(name: "alice"))
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let meeting = try store.recordJoin(
            roomId: room.id, participantId: "p1", userId: user.id, displayName: "Alice", role: .publisher, at: start)
        let same = try store.recordJoin(
            roomId: room.id, participantId: "p2", userId: nil, displayName: "Guest", role: .viewer, at: start + 5)
        #expect(meeting == same)
        #expect(try store.openMeetingId(roomId: room.id) == meeting)
        #expect(try store.recordLeave(participantId: "p1", reason: .left, at: start + 10) == false)
        #expect(try store.recordLeave(participantId: "p2", reason: .kicked, at: start + 20) == true)
        let record = try store.meeting(id: meeting)
        #expect(record.endedAt == start + 20)
        #expect(record.attendances.map(\.leaveReason) == [.left, .kicked])
        #expect(record.attendances.first?.userId == user.id)
        #expect(try store.openMeetingId(roomId: room.id) == nil)
        // The next join starts a new meeting.
        let next = try store.recordJoin(
            roomId: room.id, participantId: "p3", userId: nil, displayName: "C", role: .publisher, at: start + 30)
        #expect(next != meeting)
        #expect(try store.meetings(roomId: room.id).map(\.id) == [next, meeting])
    }

    @Test func crashLeftoversAreClosedAtLastActivity() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.databasePath)
        let room = try store.createRoom(Room(name: "standup"))
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let meeting = try store.recordJoin(
            roomId: room.id, participantId: "p1", userId: nil, displayName: "A", role: .publisher, at: start)
        try store.recordJoin(roomId: room.id, participantId: "p2", userId: nil, displayName: "B", role: .publisher, at: start + 7)
        #expect(try store.closeAbandonedMeetings() == 1)
        let record = try store.meeting(id: meeting)
        #expect(record.endedAt == start + 7)
        #expect(record.attendances.allSatisfy { $0.leaveReason == .shutdown && $0.leftAt == start + 7 })
        #expect(try store.closeAbandonedMeetings() == 0)
    }

    @Test func deletingARoomEndsItsMeetingAndKeepsHistory() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.databasePath)
        let room = try store.createRoom(Room(name: "standup"))
        let meeting = try store.recordJoin(roomId: room.id, participantId: "p1", userId: nil, displayName: "A", role: .publisher)
        try store.insertRecording(Recording(roomId: room.id, meetingId: meeting, status: .completed))
        try store.deleteRoom(id: room.id)
        let record = try store.meeting(id: meeting)
        #expect(record.endedAt != nil)
        #expect(record.attendances.first?.leaveReason == .roomDeleted)
        #expect(try store.recordings(roomId: room.id).count == 1)
    }

    @Test func recordingsAreListedNewestFirstAndDeleted() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.databasePath)
        let room = try store.createRoom(Room(name: "standup"))
        let old = Recording(roomId: room.id, meetingId: nil, status: .completed, startedAt: Date(timeIntervalSince1970: 1_800_000_000))
        let new = Recording(roomId: room.id, meetingId: nil, status: .failed, startedAt: Date(timeIntervalSince1970: 1_800_000_100))
        try store.insertRecording(old)
        try store.insertRecording(new)
        #expect(try store.recordings(roomId: room.id) == [new, old])
        #expect(new.filePath == "recordings/\(room.id)/\(new.id).webm")
        try store.deleteRecording(id: old.id)
        #expect(try store.recordings() == [new])
        #expect(throws: StoreError.self) { try store.recording(id: old.id) }
    }

    @Test func aRunningRecordingIsFinishedOnceWithItsNumbers() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.databasePath)
        let room = try store.createRoom(Room(name: "standup"))
        let running = Recording(roomId: room.id, meetingId: nil, startedAt: Date(timeIntervalSince1970: 1_800_000_000))
        try store.insertRecording(running)
        let end = Date(timeIntervalSince1970: 1_800_000_020)
        let done = try store.finishRecording(id: running.id, status: .completed, endedAt: end, durationMs: 19_950, sizeBytes: 1234)
        #expect(done.status == .completed && done.endedAt == end && done.durationMs == 19_950 && done.sizeBytes == 1234)
        #expect(try store.activeRecording(roomId: room.id) == nil)
        let again = try store.finishRecording(id: running.id, status: .failed, endedAt: end, durationMs: 1, sizeBytes: 1, failureReason: "late")
        #expect(again == done, "a finished recording is not rewritten")
        #expect(throws: StoreError.self) {
            try store.finishRecording(id: "missing", status: .completed, endedAt: end, durationMs: 0, sizeBytes: 0)
        }
    }

    @Test func recordingsLeftRunningByACrashAreMarkedInterrupted() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(path: directory.databasePath)
        let room = try store.createRoom(Room(name: "standup"))
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let crashed = Recording(roomId: room.id, meetingId: nil, startedAt: start)
        let finished = Recording(roomId: room.id, meetingId: nil, status: .completed, startedAt: start)
        try store.insertRecording(crashed)
        try store.insertRecording(finished)
        #expect(try store.interruptRunningRecordings { _ in (sizeBytes: 5000, durationMs: 12_000) } == 1)
        let marked = try store.recording(id: crashed.id)
        #expect(marked.status == .interrupted && marked.sizeBytes == 5000 && marked.durationMs == 12_000)
        #expect(marked.endedAt == start.addingTimeInterval(12))
        #expect(try store.recording(id: finished.id) == finished)
        #expect(try store.interruptRunningRecordings { _ in nil } == 0)
    }

    @Test func timestampsRoundTripWithMilliseconds() throws {
        let date = Date(timeIntervalSince1970: 1_800_000_000.125)
        let text = Timestamp.string(date)
        #expect(text == "2027-01-15T08:00:00.125Z")
        #expect(Timestamp.date(text).map { abs($0.timeIntervalSince(date)) < 0.001 } == true)
    }
}
