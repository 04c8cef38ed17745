import Testing
import TesseraTransport

/// A client and a server endpoint wired back to back through in-memory queues, with a hook to
/// lose datagrams in flight.
final class DTLSTestLink {
    enum Direction { case toServer, toClient }

    let clientCertificate: DTLSCertificate
    let serverCertificate: DTLSCertificate
    let client: DTLSEndpoint
    let server: DTLSEndpoint

    private(set) var clientEvents: [DTLSEvent] = []
    private(set) var serverEvents: [DTLSEvent] = []
    /// Application data each side received.
    private(set) var clientReceived: [[UInt8]] = []
    private(set) var serverReceived: [[UInt8]] = []
    /// Every datagram put on the wire, delivered or not.
    private(set) var sent: [(Direction, [UInt8])] = []

    var toServer: [[UInt8]] = []
    var toClient: [[UInt8]] = []
    /// Returns true to lose a datagram instead of delivering it.
    var drop: (Direction, [UInt8]) -> Bool = { _, _ in false }

    init(
        clientProfiles: [DTLSSRTPProfile] = DTLSSRTPProfile.webRTCDefault,
        serverProfiles: [DTLSSRTPProfile] = DTLSSRTPProfile.webRTCDefault,
        serverExpects: DTLSFingerprint? = nil,
        clientExpects: DTLSFingerprint? = nil,
        mtu: Int = 1200,
        retransmitTimeout: Duration = .seconds(1)
    ) throws {
        clientCertificate = try DTLSCertificate()
        serverCertificate = try DTLSCertificate()
        client = try DTLSEndpoint(
            role: .client, certificate: clientCertificate,
            expectedPeerFingerprint: clientExpects ?? serverCertificate.fingerprint,
            srtpProfiles: clientProfiles, mtu: mtu, initialRetransmitTimeout: retransmitTimeout)
        server = try DTLSEndpoint(
            role: .server, certificate: serverCertificate,
            expectedPeerFingerprint: serverExpects ?? clientCertificate.fingerprint,
            srtpProfiles: serverProfiles, mtu: mtu, initialRetransmitTimeout: retransmitTimeout)
    }

    var clientConnection: DTLSConnection? { Self.connection(in: clientEvents) }
    var serverConnection: DTLSConnection? { Self.connection(in: serverEvents) }

    func start() {
        #expect(server.start().isEmpty)
        toServer += client.start()
    }

    /// Delivers queued datagrams, one at a time alternating sides, until both queues are empty.
    func deliverAll(rounds: Int = 200) {
        for _ in 0..<rounds where !(toServer.isEmpty && toClient.isEmpty) {
            if !toServer.isEmpty { deliver(toServer.removeFirst(), .toServer) }
            if !toClient.isEmpty { deliver(toClient.removeFirst(), .toClient) }
        }
    }

    /// Runs the handshake to completion, driving retransmission timers if datagrams were lost.
    func handshake() async throws {
        start()
        for _ in 0..<20 {
            deliverAll()
            if clientConnection != nil && serverConnection != nil { return }
            if isTerminal(client.state) || isTerminal(server.state) { return }
            let waits = [client.nextTimeout(), server.nextTimeout()].compactMap { $0 }
            guard let wait = waits.min(), wait < .seconds(2) else { return }
            try await Task.sleep(for: wait + .milliseconds(5))
            toServer += client.handleTimeout()
            toClient += server.handleTimeout()
        }
    }

    func deliver(_ datagram: [UInt8], _ direction: Direction) {
        sent.append((direction, datagram))
        guard !drop(direction, datagram) else { return }
        switch direction {
        case .toServer:
            let output = server.receive(datagram)
            if output.event != .none { serverEvents.append(output.event) }
            serverReceived += output.applicationData
            toClient += output.datagrams
        case .toClient:
            let output = client.receive(datagram)
            if output.event != .none { clientEvents.append(output.event) }
            clientReceived += output.applicationData
            toServer += output.datagrams
        }
    }

    private static func connection(in events: [DTLSEvent]) -> DTLSConnection? {
        for case .connected(let connection) in events { return connection }
        return nil
    }
}

func isTerminal(_ state: DTLSState) -> Bool {
    switch state {
    case .closed, .failed: true
    case .idle, .handshaking, .connected: false
    }
}

func failureKind(_ event: DTLSEvent) -> DTLSError.Kind? {
    if case .failed(let error) = event { error.kind } else { nil }
}
