public import TesseraTransport

/// Where a room's mixer sends what it made: encoded frames to sessions, keyframe requests
/// to senders. The media port in production; a recorder of calls in tests.
public protocol MixOutput: Sendable {
    /// Sends `frame` to each session, without waiting on the packet path.
    func send(_ frame: OutboundFrame, to sessionIDs: [String])
    /// Asks the peer of `sessionID` for a keyframe of the video it sends.
    func requestKeyframe(sessionID: String)
}

extension MediaPort: MixOutput {}
