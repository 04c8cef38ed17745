/// Where a room's recording takes the mix (issue 5: "the room's encoded composite and its
/// shared full audio mix ... the same packets the participants get, no second encode").
///
/// Called on the room's thread after each tick, in timestamp order per kind; `time` is the
/// room clock (the instant the packet's RTP timestamp stands for). A throw ends the
/// recording as failed; the room and its participants go on.
public protocol MixRecorder: AnyObject, Sendable {
    func recordVideo(_ data: [UInt8], isKeyframe: Bool, at time: Duration) throws
    func recordAudio(_ data: [UInt8], at time: Duration) throws
}

/// Why a room stopped feeding a recorder.
public enum RecordingEnd: Sendable, Equatable {
    /// `stopRecording` was called.
    case stopped
    /// The room's last participant left (or the server stops).
    case roomStopped
    /// The recorder threw; the reason is its error.
    case failed(String)
}
