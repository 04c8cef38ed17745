import Foundation
public import Logging
public import TesseraMixer
public import TesseraStore

/// What the routes need, built once by `tessera serve` (or a test).
public struct ServerContext: Sendable {
    public let store: Store
    public let tokens: RoomTokens
    public let participants: ParticipantDirectory
    /// What the events WebSockets send.
    public let events: RoomEvents
    public let metrics: ServerMetrics
    public let adminKey: String
    public let dataDirectory: String
    public let logger: Logger
    /// The media port and sessions; nil when the server runs without media (tests of the admin API).
    public let media: MediaContext?
    /// True once every service the server needs (database, media port) is up.
    public let isReady: @Sendable () -> Bool

    public init(
        store: Store, tokens: RoomTokens, participants: ParticipantDirectory = ParticipantDirectory(),
        events: RoomEvents = RoomEvents(), metrics: ServerMetrics = ServerMetrics(), adminKey: String, dataDirectory: String,
        logger: Logger = Logger(label: "tessera"), media: MediaContext? = nil, isReady: (@Sendable () -> Bool)? = nil
    ) {
        self.store = store
        self.tokens = tokens
        self.participants = participants
        self.events = events
        self.metrics = metrics
        self.adminKey = adminKey
        self.dataDirectory = dataDirectory
        self.logger = logger
        self.media = media
        self.isReady = isReady ?? { store.isReady() }
    }
}
