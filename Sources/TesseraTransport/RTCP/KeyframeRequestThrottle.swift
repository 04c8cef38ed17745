public import TesseraWire

/// Turns PLI and FIR from receivers of one outbound stream into keyframe requests to its
/// encoder (or upstream sender), at most one per `minimumInterval`.
///
/// FIR (RFC 5104 §4.3.1): each requester numbers its commands; a FIR carrying the same
/// sequence number as that requester's previous one is a repetition of the same request
/// and is ignored. Only FIR entries naming `mediaSSRC` count, and only PLIs for it.
///
/// Requests inside the interval are dropped (receivers repeat PLI while they lack a
/// keyframe) unless `deferSuppressedRequests` is set, in which case one request is
/// released by `poll(now:)` when the interval ends.
public struct KeyframeRequestThrottle: Sendable {
    /// Requesters whose FIR sequence numbers are remembered; the map is cleared beyond it.
    public static let maxTrackedRequesters = 64

    public struct Configuration: Sendable {
        public var minimumInterval: Duration = .milliseconds(500)
        public var deferSuppressedRequests = false

        public init() {}
    }

    public let mediaSSRC: UInt32
    public let configuration: Configuration
    public private(set) var lastRequestAt: MediaTime?
    /// A suppressed request waiting for the interval to end (only with deferral).
    public private(set) var hasDeferredRequest = false

    private var firSequenceNumbers: [UInt32: UInt8] = [:]

    public init(mediaSSRC: UInt32, configuration: Configuration = Configuration()) {
        self.mediaSSRC = mediaSSRC
        self.configuration = configuration
    }

    /// True: request a keyframe now.
    public mutating func pictureLossIndication(_ pli: PictureLossIndication, now: MediaTime) -> Bool {
        guard pli.mediaSSRC == mediaSSRC else { return false }
        return keyframeRequested(now: now)
    }

    /// True: request a keyframe now. A repeated sequence number from the same requester
    /// is the same request (RFC 5104 §4.3.1.2) and returns false.
    public mutating func fullIntraRequest(_ fir: FullIntraRequest, now: MediaTime) -> Bool {
        guard let entry = fir.entries.first(where: { $0.ssrc == mediaSSRC }) else { return false }
        if firSequenceNumbers[fir.senderSSRC] == entry.sequenceNumber { return false }
        if firSequenceNumbers.count >= Self.maxTrackedRequesters, firSequenceNumbers[fir.senderSSRC] == nil {
            firSequenceNumbers.removeAll(keepingCapacity: true)
        }
        firSequenceNumbers[fir.senderSSRC] = entry.sequenceNumber
        return keyframeRequested(now: now)
    }

    /// Any other reason to want a keyframe (e.g. a new receiver joined). True: request now.
    public mutating func keyframeRequested(now: MediaTime) -> Bool {
        if let last = lastRequestAt, now - last < configuration.minimumInterval {
            if configuration.deferSuppressedRequests { hasDeferredRequest = true }
            return false
        }
        lastRequestAt = now
        hasDeferredRequest = false
        return true
    }

    /// True when a deferred request is due now.
    public mutating func poll(now: MediaTime) -> Bool {
        guard hasDeferredRequest, let last = lastRequestAt, now - last >= configuration.minimumInterval else {
            return false
        }
        lastRequestAt = now
        hasDeferredRequest = false
        return true
    }

    /// When a deferred request becomes due; nil when none is waiting.
    public var nextDeadline: MediaTime? {
        guard hasDeferredRequest, let last = lastRequestAt else { return nil }
        return last + configuration.minimumInterval
    }
}
