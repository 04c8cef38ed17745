import Synchronization

/// The events of every room, fanned out to the subscribers of each room (its events
/// WebSockets).
///
/// `publish` is synchronous: for one room, every subscriber receives events in the order
/// their publishers ran. (The speaking changes come from a synchronous mixer callback; an
/// actor there would need one `Task` per event, and tasks do not keep their order.)
/// Each subscriber has a bounded buffer: one that reads too slowly loses its oldest events,
/// which are counted, and never makes the server hold more than `bufferSize` events for it.
public final class RoomEvents: Sendable {
    /// Events buffered per subscriber before the oldest are dropped.
    public static let defaultBufferSize = 256

    private struct Subscriber {
        let subscription: EventSubscription
        let continuation: AsyncStream<RoomEvent>.Continuation
    }

    private struct State {
        var rooms: [String: [Int: Subscriber]] = [:]
        var nextId = 0
        var dropped = 0
    }

    private let state = Mutex(State())
    public let bufferSize: Int

    public init(bufferSize: Int = RoomEvents.defaultBufferSize) {
        precondition(bufferSize > 0, "a subscriber needs room for at least one event")
        self.bufferSize = bufferSize
    }

    /// A new subscriber to `roomId`'s events, from the next `publish` on.
    public func subscribe(roomId: String) -> EventSubscription {
        let (stream, continuation) = AsyncStream.makeStream(of: RoomEvent.self, bufferingPolicy: .bufferingNewest(bufferSize))
        return state.withLock { state in
            let id = state.nextId
            state.nextId += 1
            let subscription = EventSubscription(id: id, roomId: roomId, events: stream)
            // A consumer that stops iterating (its task cancelled) is no longer fed.
            continuation.onTermination = { [weak self] _ in self?.remove(id: id, roomId: roomId) }
            state.rooms[roomId, default: [:]][id] = Subscriber(subscription: subscription, continuation: continuation)
            return subscription
        }
    }

    /// Stops feeding the subscription; its stream ends after the events it already holds.
    public func unsubscribe(_ subscription: EventSubscription, reason: EventSubscription.End = .unsubscribed) {
        guard let subscriber = remove(id: subscription.id, roomId: subscription.roomId) else { return }
        subscription.ended(reason)
        // Outside the lock: finishing runs `onTermination`, which takes it.
        subscriber.continuation.finish()
    }

    /// Ends every subscription of the room (it was deleted).
    public func close(roomId: String, reason: EventSubscription.End = .roomDeleted) {
        let subscribers = state.withLock { $0.rooms.removeValue(forKey: roomId) } ?? [:]
        for subscriber in subscribers.values {
            subscriber.subscription.ended(reason)
            subscriber.continuation.finish()
        }
    }

    /// Delivers `event` to every subscriber of the room.
    public func publish(_ event: RoomEvent, roomId: String) {
        state.withLock { state in
            guard let subscribers = state.rooms[roomId] else { return }
            for subscriber in subscribers.values {
                if case .dropped = subscriber.continuation.yield(event) {
                    subscriber.subscription.countDrop()
                    state.dropped += 1
                }
            }
        }
    }

    /// Subscribers of every room.
    public var subscriberCount: Int { state.withLock { $0.rooms.values.reduce(0) { $0 + $1.count } } }

    public func subscriberCount(roomId: String) -> Int { state.withLock { $0.rooms[roomId]?.count ?? 0 } }

    /// Events dropped because a subscriber's buffer was full, since start.
    public var droppedCount: Int { state.withLock { $0.dropped } }

    @discardableResult
    private func remove(id: Int, roomId: String) -> Subscriber? {
        state.withLock { state in
            let subscriber = state.rooms[roomId]?.removeValue(forKey: id)
            if state.rooms[roomId]?.isEmpty == true { state.rooms[roomId] = nil }
            return subscriber
        }
    }
}

/// One subscriber's view of a room's events: iterate `events`; it ends when the subscriber
/// is unsubscribed or the room closes (`end` says why).
public final class EventSubscription: Sendable {
    public enum End: Sendable, Equatable {
        case unsubscribed
        case roomDeleted
        case shutdown
    }

    public let roomId: String
    public let events: AsyncStream<RoomEvent>
    let id: Int
    private let state = Mutex<(end: End?, dropped: Int)>((nil, 0))
    private let snapshot = Mutex<RoomSnapshot?>(nil)

    init(id: Int, roomId: String, events: AsyncStream<RoomEvent>) {
        self.id = id
        self.roomId = roomId
        self.events = events
    }

    /// Why the events ended; nil while they flow.
    public var end: End? { state.withLock { $0.end } }

    /// Events this subscriber lost because it read too slowly.
    public var droppedCount: Int { state.withLock { $0.dropped } }

    func ended(_ reason: End) { state.withLock { $0.end = $0.end ?? reason } }

    func countDrop() { state.withLock { $0.dropped += 1 } }

    /// What the socket sends before the live events (`?snapshot=true`).
    func setSnapshot(_ snapshot: RoomSnapshot) { self.snapshot.withLock { $0 = snapshot } }

    func takeSnapshot() -> RoomSnapshot? { snapshot.withLock { $0.take() } }
}
