import Foundation
import Testing
import TesseraStore
@testable import TesseraAPI

/// The events hub: order, bounded buffers, unsubscribe and room close; the JSON of each event.
@Suite struct RoomEventsTests {
    /// Event n, at a fixed instant: tests compare events made twice, so `at` must not be "now"
    /// (a slow machine crossed a millisecond between two calls).
    static func speaking(_ n: Int) -> RoomEvent {
        RoomEvent(.speaking(participantId: "p\(n)", speaking: n % 2 == 0), at: Date(timeIntervalSince1970: 1_800_000_000 + Double(n)))
    }

    /// Everything left in the stream once it has ended.
    static func drain(_ subscription: EventSubscription) async -> [RoomEvent] {
        var events: [RoomEvent] = []
        for await event in subscription.events { events.append(event) }
        return events
    }

    @Test func everySubscriberGetsTheRoomsEventsInPublishOrder() async {
        let hub = RoomEvents()
        let first = hub.subscribe(roomId: "r1")
        let second = hub.subscribe(roomId: "r1")
        let elsewhere = hub.subscribe(roomId: "r2")
        let published = (0..<200).map(Self.speaking)
        // Publishers on several threads: each one's events keep their order.
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for event in published[..<100] { hub.publish(event, roomId: "r1") } }
            group.addTask { for event in published[100...] { hub.publish(event, roomId: "r1") } }
        }
        hub.publish(RoomEvent(.layoutChanged(.speaker)), roomId: "r2")
        hub.close(roomId: "r1")
        hub.close(roomId: "r2")

        let a = await Self.drain(first)
        let b = await Self.drain(second)
        #expect(a.count == 200)
        #expect(a == b, "both subscribers see one order")
        #expect(a.filter { published[..<100].contains($0) } == Array(published[..<100]))
        #expect(a.filter { published[100...].contains($0) } == Array(published[100...]))
        #expect(await Self.drain(elsewhere).map(\.type) == ["layout-changed"])
        #expect(first.droppedCount == 0 && hub.droppedCount == 0)
    }

    @Test func aSlowSubscriberLosesItsOldestEventsAndTheyAreCounted() async {
        let hub = RoomEvents(bufferSize: 4)
        let slow = hub.subscribe(roomId: "r")
        let published = (0..<10).map(Self.speaking)
        for event in published { hub.publish(event, roomId: "r") }
        #expect(slow.droppedCount == 6)
        #expect(hub.droppedCount == 6)
        hub.unsubscribe(slow)
        // Only the newest four were held, still in order.
        #expect(await Self.drain(slow) == Array(published[6...]))
        #expect(slow.end == .unsubscribed)
    }

    @Test func anUnsubscribedSubscriberGetsNothingMore() async {
        let hub = RoomEvents()
        let gone = hub.subscribe(roomId: "r")
        let staying = hub.subscribe(roomId: "r")
        hub.publish(Self.speaking(0), roomId: "r")
        hub.unsubscribe(gone)
        hub.publish(Self.speaking(1), roomId: "r")
        #expect(hub.subscriberCount == 1)
        #expect(await Self.drain(gone) == [Self.speaking(0)])
        hub.unsubscribe(gone)  // twice is harmless
        hub.close(roomId: "r")
        #expect(await Self.drain(staying) == [Self.speaking(0), Self.speaking(1)])
        #expect(staying.end == .roomDeleted)
        #expect(hub.subscriberCount == 0)
    }

    @Test func aSubscriberWhoseReaderIsCancelledIsForgotten() async throws {
        let hub = RoomEvents()
        let subscription = hub.subscribe(roomId: "r")
        let reader = Task { await Self.drain(subscription) }
        hub.publish(Self.speaking(0), roomId: "r")
        reader.cancel()
        _ = await reader.value
        #expect(hub.subscriberCount(roomId: "r") == 0)
        hub.publish(Self.speaking(1), roomId: "r")  // nobody to feed: no drop counted
        #expect(hub.droppedCount == 0)
    }

    @Test func eventsSerializeToTheDocumentedShapes() throws {
        let at = try #require(Timestamp.date("2025-03-04T05:06:07.089Z"))
        let cases: [(RoomEvent.Kind, String)] = [
            (
                .participantJoined(participantId: "p1", displayName: "Ada", role: .publisher),
                #"{"type":"participant-joined","at":"2025-03-04T05:06:07.089Z","participantId":"p1","displayName":"Ada","role":"publisher"}"#
            ),
            (
                .participantLeft(participantId: "p1", reason: .roomDeleted),
                #"{"type":"participant-left","at":"2025-03-04T05:06:07.089Z","participantId":"p1","reason":"room-deleted"}"#
            ),
            (
                .speaking(participantId: "p1", speaking: true),
                #"{"type":"speaking","at":"2025-03-04T05:06:07.089Z","participantId":"p1","speaking":true}"#
            ),
            (
                .participantMuted(participantId: "p1", audioMuted: false, videoMuted: true),
                #"{"type":"participant-muted","at":"2025-03-04T05:06:07.089Z","participantId":"p1","audioMuted":false,"videoMuted":true}"#
            ),
            (.layoutChanged(.speaker), #"{"type":"layout-changed","at":"2025-03-04T05:06:07.089Z","layout":"speaker"}"#),
            (.recordingStarted(recordingId: "rec1"), #"{"type":"recording-started","at":"2025-03-04T05:06:07.089Z","recordingId":"rec1"}"#),
            (.recordingStopped(recordingId: "rec1"), #"{"type":"recording-stopped","at":"2025-03-04T05:06:07.089Z","recordingId":"rec1"}"#),
            (.meetingEnded(meetingId: "m1"), #"{"type":"meeting-ended","at":"2025-03-04T05:06:07.089Z","meetingId":"m1"}"#),
        ]
        for (kind, expected) in cases {
            #expect(RoomEvent(kind, at: at).json.serialized == expected)
        }
    }
}
