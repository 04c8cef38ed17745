import COpenSSL
import Testing
import TesseraTransport

/// Garbage must never crash an endpoint nor leave OpenSSL errors behind; record-layer junk is
/// dropped (RFC 6347 §4.1.2.7) so a real handshake still succeeds afterwards.
@Suite("DTLSEndpoint hostile input")
struct DTLSHostileInputTests {
    /// A fresh client's ClientHello.
    static func clientHello() throws -> [UInt8] {
        let certificate = try DTLSCertificate()
        let client = try DTLSEndpoint(role: .client, certificate: certificate, expectedPeerFingerprint: certificate.fingerprint)
        let hello = client.start()
        try #require(hello.count == 1)
        return hello[0]
    }

    @Test func randomDatagramsAreIgnoredByAServer() async throws {
        var random = SeededGenerator(seed: 0x7E55_E7A0)
        let link = try DTLSTestLink()
        #expect(link.server.start().isEmpty)
        for _ in 0..<2_000 {
            let datagram = random.bytes(Int.random(in: 1...1_500, using: &random))
            let output = link.server.receive(datagram)
            #expect(output.event == .none)
            #expect(output.applicationData.isEmpty)
            #expect(ERR_peek_error() == 0)
        }
        #expect(link.server.state == .handshaking)

        link.toServer += link.client.start()
        link.deliverAll()
        #expect(link.clientConnection != nil && link.serverConnection != nil)
    }

    @Test func truncatedClientHellosAreIgnored() async throws {
        let link = try DTLSTestLink()
        let hello = link.client.start()
        try #require(hello.count == 1)
        for length in 1..<hello[0].count {
            let output = link.server.receive(Array(hello[0].prefix(length)))
            #expect(output.event == .none, "prefix \(length)")
            #expect(output.datagrams.isEmpty, "prefix \(length)")
            #expect(ERR_peek_error() == 0)
        }
        #expect(link.server.state == .handshaking)

        link.toServer += hello
        link.deliverAll()
        #expect(link.clientConnection != nil && link.serverConnection != nil)
    }

    @Test func mutatedClientHellosNeverCrash() throws {
        var random = SeededGenerator(seed: 5764)
        let hello = try Self.clientHello()
        let certificate = try DTLSCertificate()
        var outcomes: [String: Int] = [:]
        for _ in 0..<300 {
            var datagram = hello
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                datagram[Int.random(in: 0..<datagram.count, using: &random)] = UInt8.random(in: .min ... .max, using: &random)
            }
            let server = try DTLSEndpoint(
                role: .server, certificate: certificate, expectedPeerFingerprint: certificate.fingerprint)
            let output = server.receive(datagram)
            #expect(ERR_peek_error() == 0)
            switch output.event {
            case .none: outcomes["ignored or answered", default: 0] += 1
            case .failed(let error):
                outcomes["failed", default: 0] += 1
                #expect(error.kind == .handshakeFailed)
                #expect(!error.message.isEmpty)
                #expect(server.receive(hello) == DTLSOutput())  // failed stays failed
            case .connected, .closed: Issue.record("unexpected \(output.event)")
            }
        }
        #expect(outcomes.values.reduce(0, +) == 300)
    }

    @Test func hostileRecordHeadersNeverCrash() throws {
        let certificate = try DTLSCertificate()
        let header: [UInt8] = [0x16, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0]
        let datagrams: [[UInt8]] = [
            [0x16],
            header,
            header + [0xFF, 0xFF],  // claims 65535 bytes, has none
            header + [0xFF, 0xFF] + [UInt8](repeating: 0x01, count: 70_000),  // oversized datagram
            header + [0x00, 0x0C] + [0x01, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF],  // huge handshake length
            [0x15, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x02, 0x02, 0x28],  // fatal alert, epoch 0
            [0x17, 0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 0, 1, 0x00, 0x04, 1, 2, 3, 4],  // application data, epoch 1
            [0x14, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x01, 0x01],  // ChangeCipherSpec first
            [UInt8](repeating: 0, count: 1_200),
            [UInt8](repeating: 0xFF, count: 1_200),
        ]
        for role in [DTLSRole.server, .client] {
            for datagram in datagrams {
                let endpoint = try DTLSEndpoint(
                    role: role, certificate: certificate, expectedPeerFingerprint: certificate.fingerprint)
                _ = endpoint.start()
                let output = endpoint.receive(datagram)
                #expect(ERR_peek_error() == 0)
                if case .connected = output.event { Issue.record("connected on garbage") }
                #expect(output.applicationData.isEmpty)
            }
        }
    }

    @Test func garbageAfterConnectingIsDroppedAndTheConnectionSurvives() async throws {
        var random = SeededGenerator(seed: 6347)
        let link = try DTLSTestLink()
        try await link.handshake()
        try #require(link.clientConnection != nil && link.serverConnection != nil)

        // Random bytes, and a real record with a flipped bit (fails authentication).
        var tampered = try link.client.send([9, 9, 9])[0]
        tampered[tampered.count - 1] ^= 0x01
        for datagram in (0..<200).map({ _ in random.bytes(Int.random(in: 1...1_300, using: &random)) }) + [tampered] {
            let output = link.server.receive(datagram)
            #expect(output.event == .none)
            #expect(output.applicationData.isEmpty)
        }
        guard case .connected = link.server.state else {
            Issue.record("server state \(link.server.state)")
            return
        }
        link.toServer += try link.client.send([1, 2, 3])
        link.deliverAll()
        #expect(link.serverReceived == [[1, 2, 3]])
    }

    @Test func emptyDatagramsAreIgnored() throws {
        let link = try DTLSTestLink()
        #expect(link.server.receive([]) == DTLSOutput())
        link.start()
        #expect(link.client.receive([]) == DTLSOutput())
    }
}
