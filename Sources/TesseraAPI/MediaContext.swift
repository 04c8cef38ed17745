import Foundation
public import TesseraMixer
public import TesseraTransport

/// The media half of a running server: the UDP port, the offer/answer rules with our
/// candidate and certificate, and the supervisor that ties sessions to rooms.
public struct MediaContext: Sendable {
    public let port: MediaPort
    public let negotiator: OfferAnswer
    public let supervisor: SessionSupervisor
    /// The live room mixers.
    public let rooms: RoomRegistry
    /// Recordings of the rooms' mixes.
    public let recordings: RecordingService
    /// True once shutdown began: new sessions are refused with 503.
    public let isShuttingDown: @Sendable () -> Bool

    public init(
        port: MediaPort, negotiator: OfferAnswer, supervisor: SessionSupervisor, rooms: RoomRegistry,
        recordings: RecordingService, isShuttingDown: @escaping @Sendable () -> Bool
    ) {
        self.recordings = recordings
        self.port = port
        self.negotiator = negotiator
        self.supervisor = supervisor
        self.rooms = rooms
        self.isShuttingDown = isShuttingDown
    }
}
