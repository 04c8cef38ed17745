import Testing
import TesseraTransport

@Suite("DTLSEndpoint handshake")
struct DTLSHandshakeTests {
    static let profiles: [(DTLSSRTPProfile, UInt16, Int)] = [
        (.aes128CMSHA1_80, 0x0001, 60),
        (.aeadAES128GCM, 0x0007, 56),
    ]

    @Test(arguments: profiles)
    func completesInMemoryWithOfferedProfile(profile: DTLSSRTPProfile, id: UInt16, length: Int) async throws {
        let link = try DTLSTestLink(clientProfiles: [profile])
        try await link.handshake()

        let client = try #require(link.clientConnection)
        let server = try #require(link.serverConnection)
        #expect(link.clientEvents.count == 1)
        #expect(link.serverEvents.count == 1)
        #expect(client.role == .client)
        #expect(server.role == .server)
        #expect(client.srtpProfileID == id)
        #expect(server.srtpProfileID == id)
        #expect(client.srtpProfile == profile)
        #expect(client.keyingMaterial.count == length)
        #expect(client.keyingMaterial == server.keyingMaterial)
        #expect(Set(client.keyingMaterial).count > 8)
        #expect(client.peerFingerprint == link.serverCertificate.fingerprint)
        #expect(server.peerFingerprint == link.clientCertificate.fingerprint)
        #expect(link.client.state == .connected(client))
        #expect(link.server.state == .connected(server))

        // RFC 5764 §4.2 split: what one side sends with, the other receives with.
        #expect(client.localMasterKeyAndSalt.count == length / 2)
        #expect(client.localMasterKeyAndSalt == server.remoteMasterKeyAndSalt)
        #expect(client.remoteMasterKeyAndSalt == server.localMasterKeyAndSalt)
        #expect(client.localMasterKeyAndSalt != client.remoteMasterKeyAndSalt)
        #expect(client.description.contains("keyingMaterial: \(length) bytes"))
    }

    @Test func serverPrefersGCMWhenBothAreOffered() async throws {
        let link = try DTLSTestLink()
        try await link.handshake()
        #expect(link.clientConnection?.srtpProfileID == 0x0007)
        #expect(link.serverConnection?.srtpProfileID == 0x0007)
    }

    @Test func failsWithoutACommonSRTPProfile() async throws {
        let link = try DTLSTestLink(clientProfiles: [.aes128CMSHA1_80], serverProfiles: [.aeadAES128GCM])
        try await link.handshake()
        #expect(link.clientConnection == nil)
        #expect(link.serverConnection == nil)
        #expect((link.clientEvents + link.serverEvents).contains { failureKind($0) == .handshakeFailed })
    }

    @Test(arguments: [1200, 300])
    func handshakeDatagramsFitTheMTU(mtu: Int) async throws {
        let link = try DTLSTestLink(mtu: mtu)
        try await link.handshake()
        #expect(link.clientConnection != nil && link.serverConnection != nil)
        #expect(link.sent.allSatisfy { $0.1.count <= mtu })
        // The server's first flight (ServerHello … ServerHelloDone) spans several datagrams at
        // 300 bytes, proving the flight is split on datagram boundaries, not concatenated.
        let serverDatagrams = link.sent.filter { $0.0 == .toClient }.count
        #expect(serverDatagrams >= (mtu == 300 ? 4 : 2))
    }

    @Test func wrongFingerprintOnServerFails() async throws {
        let stranger = try DTLSCertificate()
        let link = try DTLSTestLink(serverExpects: stranger.fingerprint)
        try await link.handshake()

        #expect(link.serverConnection == nil)
        #expect(link.serverEvents.count == 1)
        #expect(link.serverEvents.first.flatMap(failureKind) == .fingerprintMismatch)
        guard case .failed(let error) = link.server.state else {
            Issue.record("server state \(link.server.state)")
            return
        }
        #expect(error.kind == .fingerprintMismatch)
        // The server aborted the handshake with an alert before its Finished: the client
        // never believed it was connected.
        #expect(link.clientConnection == nil)
        guard case .failed = link.client.state else {
            Issue.record("client state \(link.client.state)")
            return
        }
        // A failed endpoint ignores everything afterwards.
        #expect(link.server.receive([0x16, 0xFE, 0xFD]).datagrams.isEmpty)
    }

    @Test func wrongFingerprintOnClientFails() async throws {
        let stranger = try DTLSCertificate()
        let sha1 = try DTLSFingerprint(algorithm: .sha1, certificateDER: stranger.derBytes)
        let link = try DTLSTestLink(clientExpects: sha1)
        try await link.handshake()
        #expect(link.clientConnection == nil)
        #expect(link.clientEvents.map(failureKind) == [.fingerprintMismatch])
    }

    @Test func expectedFingerprintMayUseAnotherHash() async throws {
        let clientCertificate = try DTLSCertificate()
        let serverCertificate = try DTLSCertificate()
        let server = try DTLSEndpoint(
            role: .server, certificate: serverCertificate,
            expectedPeerFingerprint: try DTLSFingerprint(algorithm: .sha384, certificateDER: clientCertificate.derBytes))
        let client = try DTLSEndpoint(
            role: .client, certificate: clientCertificate, expectedPeerFingerprint: serverCertificate.fingerprint)
        var toServer = client.start()
        var connected: DTLSConnection?
        for _ in 0..<10 where !toServer.isEmpty {
            var toClient: [[UInt8]] = []
            for datagram in toServer {
                let output = server.receive(datagram)
                if case .connected(let connection) = output.event { connected = connection }
                toClient += output.datagrams
            }
            toServer = toClient.flatMap { client.receive($0).datagrams }
        }
        #expect(connected?.peerFingerprint.algorithm == .sha384)
    }

    @Test func completesAfterTheServersFirstFlightIsLost() async throws {
        let link = try DTLSTestLink(retransmitTimeout: .milliseconds(50))
        var serverFlights = 0
        link.start()
        #expect(link.toServer.count == 1)  // the ClientHello
        let clientHello = link.toServer.removeFirst()
        let flight = link.server.receive(clientHello).datagrams
        #expect(!flight.isEmpty)
        serverFlights += 1  // lost: never delivered

        let wait = try #require(link.client.nextTimeout())
        #expect(wait <= .milliseconds(50))
        try await Task.sleep(for: wait + .milliseconds(10))
        let retransmitted = link.client.handleTimeout()
        #expect(retransmitted.count == 1)
        #expect(retransmitted.first?.first == 0x16)  // a handshake record: the ClientHello again

        // The duplicate ClientHello reaches the server after its own timer expired too, so it
        // resends its flight while reading (OpenSSL's dtls1_read_failed), and the rest follows.
        link.toServer += retransmitted
        link.deliverAll()
        #expect(serverFlights == 1)
        #expect(link.clientConnection != nil)
        #expect(link.serverConnection != nil)
        #expect(link.clientConnection?.keyingMaterial == link.serverConnection?.keyingMaterial)
    }

    @Test func completesWhenEveryDatagramIsLostOnce() async throws {
        // Retransmitted records carry new sequence numbers, so "the same datagram" is keyed by
        // direction and size; OpenSSL re-packs retransmitted flights, so each shape is lost once.
        let link = try DTLSTestLink(retransmitTimeout: .milliseconds(20))
        var seen: Set<String> = []
        link.drop = { direction, datagram in seen.insert("\(direction) \(datagram.count)").inserted }
        try await link.handshake()
        #expect(link.clientConnection != nil)
        #expect(link.serverConnection != nil)
        #expect(link.sent.count > seen.count)
    }

    @Test func timersRunOnlyWhileAFlightAwaitsAnAnswer() async throws {
        let link = try DTLSTestLink()
        #expect(link.server.nextTimeout() == nil)
        #expect(link.client.nextTimeout() == nil)
        link.start()
        #expect(link.server.nextTimeout() == nil)
        let wait = try #require(link.client.nextTimeout())
        #expect(wait > .milliseconds(500) && wait <= .seconds(1))
        // Not expired yet on OpenSSL's clock: nothing to retransmit.
        #expect(link.client.handleTimeout().isEmpty)

        link.deliverAll()
        #expect(link.clientConnection != nil && link.serverConnection != nil)
        #expect(link.client.nextTimeout() == nil)
        #expect(link.server.nextTimeout() == nil)
        #expect(link.client.handleTimeout().isEmpty)
    }

    @Test func closeIsSeenByThePeer() async throws {
        let link = try DTLSTestLink()
        try await link.handshake()
        let notify = link.client.close()
        #expect(notify.count == 1)
        #expect(link.client.state == .closed)
        link.toServer += notify
        link.deliverAll()
        #expect(link.serverEvents.last == .closed)
        #expect(link.server.state == .closed)
        #expect(link.client.close().isEmpty)
        #expect(throws: DTLSError.self) { try link.server.send([1]) }
    }

    @Test func closeDuringHandshakeSendsNothing() throws {
        let link = try DTLSTestLink()
        link.start()
        #expect(link.client.close().isEmpty)
        #expect(link.client.state == .closed)
        #expect(link.client.receive(link.toServer[0]) == DTLSOutput())
    }

    @Test func applicationDataPassesThroughBothWays() async throws {
        let link = try DTLSTestLink()
        #expect {
            try link.client.send([1, 2, 3])
        } throws: { ($0 as? DTLSError)?.kind == .notConnected }
        try await link.handshake()

        let small: [UInt8] = [0x13, 0x88, 0x13, 0x88, 1, 2, 3]
        let large = (0..<1100).map { UInt8(truncatingIfNeeded: $0 * 7) }
        link.toServer += try link.client.send(small)
        link.toServer += try link.client.send(large)
        link.toClient += try link.server.send(large)
        link.deliverAll()
        #expect(link.serverReceived == [small, large])
        #expect(link.clientReceived == [large])
        // Encrypted on the wire.
        #expect(!link.sent.contains { $0.1.count >= large.count && Array($0.1.suffix(large.count)) == large })

        #expect {
            try link.client.send([UInt8](repeating: 0, count: DTLSEndpoint.maxApplicationDataLength + 1))
        } throws: { ($0 as? DTLSError)?.kind == .messageTooLong }
        #expect(try link.client.send([]).isEmpty)
    }

    @Test func applicationDataSentRightAfterTheClientsFinishedArrives() async throws {
        // The client's data may reach the server before the server's Finished reaches the client.
        let link = try DTLSTestLink()
        link.start()
        link.deliverAll()
        #expect(link.serverReceived.isEmpty)
        link.toServer += try link.client.send([42])
        link.deliverAll()
        #expect(link.serverReceived == [[42]])
    }
}
