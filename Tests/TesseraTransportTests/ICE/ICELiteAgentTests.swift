import Testing
import TesseraTransport
import TesseraWire

@Suite struct ICELiteAgentTests {
    let local = ICECredentials(ufrag: "srvU", password: "server-password-0123456789")
    let remote = ICECredentials(ufrag: "cliU", password: "client-password-0123456789")
    let client = STUNTransportAddress(address: IPAddress("127.0.0.1")!, port: 40000)

    func check(username: String? = nil, key: String? = nil, useCandidate: Bool = false, fingerprint: Bool = true) -> STUNMessage {
        var attributes: [STUNAttribute] = [.username(username ?? "\(local.ufrag):\(remote.ufrag)"), .priority(1_845_501_695), .iceControlling(42)]
        if useCandidate { attributes.append(.useCandidate) }
        let request = STUNMessage(type: .bindingRequest, attributes: attributes)
        let bytes = request.serialized(integrityKey: Array((key ?? local.password).utf8), fingerprint: fingerprint)
        return try! STUNMessage(parsing: bytes)
    }

    @Test func validCheckIsAnsweredWithIntegrityAndMappedAddress() throws {
        var agent = ICELiteAgent(local: local, remote: remote)
        let request = check()
        guard case .respond(let bytes, let changed) = agent.handle(request, from: client, now: .seconds(1)) else {
            Issue.record("not answered"); return
        }
        #expect(changed)
        let response = try STUNMessage(parsing: bytes)
        #expect(response.type == .bindingSuccessResponse)
        #expect(response.transactionID == request.transactionID)
        #expect(response.xorMappedAddress == client)
        #expect(response.verifyMessageIntegrity(key: Array(local.password.utf8)))
        #expect(response.verifyFingerprint())
        #expect(agent.selected == client)
        #expect(!agent.nominated)
        #expect(agent.lastConsent == .seconds(1))
    }

    @Test func useCandidateNominatesTheAddress() {
        var agent = ICELiteAgent(local: local, remote: remote)
        _ = agent.handle(check(), from: client, now: .zero)
        let other = STUNTransportAddress(address: IPAddress("127.0.0.1")!, port: 40001)
        guard case .respond(_, let changed) = agent.handle(check(useCandidate: true), from: other, now: .zero) else {
            Issue.record("not answered"); return
        }
        #expect(changed)
        #expect(agent.selected == other)
        #expect(agent.nominated)
        #expect(agent.validated == [client, other])
    }

    @Test func badIntegrityIsRejectedWith401AndChangesNothing() throws {
        var agent = ICELiteAgent(local: local, remote: remote)
        guard case .reject(let bytes, _) = agent.handle(check(key: "wrong-password-0123456789"), from: client, now: .zero) else {
            Issue.record("not rejected"); return
        }
        let response = try STUNMessage(parsing: bytes)
        #expect(response.type == .bindingErrorResponse)
        #expect(response.errorCode?.code == 401)
        #expect(agent.selected == nil)
        #expect(agent.lastConsent == nil)
    }

    @Test func unknownUsernameIsRejected() {
        var agent = ICELiteAgent(local: local, remote: remote)
        guard case .reject = agent.handle(check(username: "other:cliU"), from: client, now: .zero) else {
            Issue.record("not rejected"); return
        }
        guard case .reject = agent.handle(check(username: "srvU:someoneElse"), from: client, now: .zero) else {
            Issue.record("not rejected"); return
        }
        #expect(agent.validated.isEmpty)
    }

    @Test func checkWithoutFingerprintIsDropped() {
        var agent = ICELiteAgent(local: local, remote: remote)
        let request = STUNMessage(type: .bindingRequest, attributes: [.username("srvU:cliU")])
        let parsed = try! STUNMessage(parsing: request.serialized(integrityKey: Array(local.password.utf8), fingerprint: false))
        guard case .drop = agent.handle(parsed, from: client, now: .zero) else { Issue.record("not dropped"); return }
    }

    @Test func consentExpiresThirtySecondsAfterTheLastValidCheck() {
        var agent = ICELiteAgent(local: local, remote: remote)
        #expect(!agent.consentExpired(now: .seconds(29), since: .zero))
        #expect(agent.consentExpired(now: .seconds(30), since: .zero))
        _ = agent.handle(check(), from: client, now: .seconds(20))
        #expect(!agent.consentExpired(now: .seconds(49), since: .zero))
        #expect(agent.consentExpired(now: .seconds(50), since: .zero))
    }

    @Test func localUfragIsTheFirstPartOfUsername() {
        #expect(ICELiteAgent.localUfrag(of: check()) == "srvU")
        #expect(ICELiteAgent.localUfrag(of: STUNMessage(type: .bindingRequest)) == nil)
    }

    @Test func randomCredentialsMeetRFC8445Lengths() {
        let credentials = ICECredentials.random()
        #expect(credentials.ufrag.count >= 4)
        #expect(credentials.password.count >= 22)
        #expect(ICECredentials.random() != credentials)
    }
}
