public import TesseraWire

/// The ICE-lite side of one peer session (RFC 8445 §2.5, §7.3): answers the peer's
/// connectivity checks, learns the addresses that passed a check, takes the nominated one
/// (USE-CANDIDATE) as the selected pair, and tracks consent freshness (RFC 7675).
///
/// A value-type state machine: no sockets and no clock; `now` is passed in.
public struct ICELiteAgent: Sendable {
    public let local: ICECredentials
    public let remote: ICECredentials

    /// The address media is sent to: the nominated one, else the first that passed a check.
    public private(set) var selected: STUNTransportAddress?
    /// Whether `selected` was nominated by USE-CANDIDATE.
    public private(set) var nominated = false
    /// Addresses that passed a valid check; media from any of them is accepted.
    public private(set) var validated: Set<STUNTransportAddress> = []
    /// When the last valid check arrived (consent freshness).
    public private(set) var lastConsent: Duration?

    /// RFC 7675 §5.1: consent expires 30 s after the last valid check.
    public static let consentTimeout: Duration = .seconds(30)
    /// Bound on remembered addresses, so a peer cannot grow the set without limit.
    static let maxValidated = 8

    public init(local: ICECredentials, remote: ICECredentials) {
        self.local = local
        self.remote = remote
    }

    /// What to do with one STUN message addressed to this session.
    public enum Outcome: Equatable, Sendable {
        /// Send `response`; `selectedChanged` when the selected address moved.
        case respond(response: [UInt8], selectedChanged: Bool)
        /// Send an error response (bad integrity: 401, unknown attribute: 420).
        case reject(response: [UInt8], reason: String)
        /// Drop silently (indications, responses, no FINGERPRINT), counting `reason`.
        case drop(reason: String)
    }

    /// The local ufrag a check is addressed to: the part of USERNAME before the colon
    /// (RFC 8445 §7.2.2: "RFRAG:LFRAG" from the sender's view is "ours:theirs").
    public static func localUfrag(of message: STUNMessage) -> Substring? {
        guard let username = message.username, let colon = username.firstIndex(of: ":") else { return nil }
        return username[..<colon]
    }

    public mutating func handle(_ message: STUNMessage, from address: STUNTransportAddress, now: Duration) -> Outcome {
        guard message.type == .bindingRequest else {
            return .drop(reason: message.type == .bindingIndication ? "keepalive" : "not a binding request")
        }
        guard message.attribute(.fingerprint) != nil, message.verifyFingerprint() else {
            return .drop(reason: "missing or bad FINGERPRINT")
        }
        guard message.username == "\(local.ufrag):\(remote.ufrag)" else {
            return .reject(response: error(.unauthorized, to: message), reason: "wrong USERNAME")
        }
        guard message.attribute(.messageIntegrity) != nil, message.verifyMessageIntegrity(key: Array(local.password.utf8))
        else {
            return .reject(response: error(.unauthorized, to: message), reason: "bad MESSAGE-INTEGRITY")
        }
        let unknown = message.unknownComprehensionRequiredTypes
        guard unknown.isEmpty else {
            return .reject(response: error(.unknownAttribute, to: message), reason: "unknown comprehension-required attribute")
        }
        lastConsent = now
        if !validated.contains(address) {
            if validated.count >= Self.maxValidated, let oldest = validated.first(where: { $0 != selected }) {
                validated.remove(oldest)
            }
            validated.insert(address)
        }
        var changed = false
        if message.useCandidate {
            changed = selected != address
            selected = address
            nominated = true
        } else if selected == nil {
            selected = address
            changed = true
        }
        let response = STUNMessage(
            type: .bindingSuccessResponse, transactionID: message.transactionID,
            attributes: [.xorMappedAddress(address)])
        return .respond(response: response.serialized(integrityKey: Array(local.password.utf8), fingerprint: true), selectedChanged: changed)
    }

    /// The agent after an ICE restart (RFC 8445 §9, RFC 9725 §4.3.2): new credentials on
    /// both sides; the selected pair keeps carrying media until a new check selects one,
    /// and consent restarts from `now`.
    public func restarted(local: ICECredentials, remote: ICECredentials, now: Duration) -> ICELiteAgent {
        var agent = ICELiteAgent(local: local, remote: remote)
        agent.selected = selected
        agent.nominated = nominated
        agent.validated = validated
        agent.lastConsent = now
        return agent
    }

    /// True once 30 s passed without a valid check (or none ever came since `start`).
    public func consentExpired(now: Duration, since start: Duration) -> Bool {
        now - (lastConsent ?? start) >= Self.consentTimeout
    }

    private func error(_ code: STUNErrorCode, to request: STUNMessage) -> [UInt8] {
        STUNMessage(type: .bindingErrorResponse, transactionID: request.transactionID, attributes: [.errorCode(code)])
            .serialized(fingerprint: true)
    }
}
