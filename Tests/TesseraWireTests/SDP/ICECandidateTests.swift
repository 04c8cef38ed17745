import Testing
@testable import TesseraWire

@Suite struct ICECandidateTests {
    @Test func chromeServerReflexive() throws {
        let text = "candidate:3290318149 1 udp 1686052607 203.0.113.77 56143 typ srflx raddr 192.168.1.23 rport 56143 generation 0 ufrag EsAw network-id 1 network-cost 10"
        let candidate = try ICECandidate(parsing: text)
        #expect(candidate.foundation == "3290318149")
        #expect(candidate.component == 1)
        #expect(candidate.transport == "udp")
        #expect(candidate.priority == 1_686_052_607)
        #expect(candidate.address == "203.0.113.77")
        #expect(candidate.port == 56143)
        #expect(candidate.type == .serverReflexive)
        #expect(candidate.relatedAddress == "192.168.1.23")
        #expect(candidate.relatedPort == 56143)
        #expect(candidate.generation == 0)
        #expect(candidate.ufrag == "EsAw")
        #expect(candidate.networkID == 1)
        #expect(candidate.networkCost == 10)
        #expect(candidate.description == text)
        #expect(try ICECandidate(parsing: candidate.attributeValue) == candidate)
    }

    @Test(arguments: [
        "0 1 UDP 2122252543 192.168.1.42 50432 typ host",
        "1 1 TCP 2105524479 192.168.1.42 9 typ host tcptype active",
        "2 1 UDP 8331263 198.51.100.20 61234 typ relay raddr 198.51.100.20 rport 61234",
        "d0b8f3a0e0b7f0bf9b8a2e6ebbd7c5a6 1 udp 2130706431 192.168.1.10 52834 typ host",
        "1467250027 1 udp 2122260223 4b5c6d7e-1234-4abc-9def-0123456789ab.local 56143 typ host generation 0",
        "842163049 2 udp 1677729535 2001:db8::5 46154 typ srflx raddr :: rport 0 generation 0",
        "a+/Z 256 udp 0 10.0.0.1 1 typ prflx",
        "x 1 udp 1 10.0.0.1 1 typ host tcptype so future-ext some-value",
    ])
    func roundTrips(text: String) throws {
        let candidate = try ICECandidate(parsing: text)
        #expect(candidate.attributeValue == text)
        #expect(try ICECandidate(parsing: "candidate:" + text) == candidate)
    }

    @Test func unknownExtensionsAreKept() throws {
        let candidate = try ICECandidate(parsing: "1 1 udp 1 10.0.0.1 9 typ host foo bar generation 2")
        #expect(candidate.extensions == [ICECandidate.Extension(name: "foo", value: "bar")])
        #expect(candidate.generation == 2)
        #expect(candidate.attributeValue == "1 1 udp 1 10.0.0.1 9 typ host generation 2 foo bar")
    }

    @Test(arguments: [
        "", "candidate:", "1 1 udp 1 10.0.0.1 9 typ", "1 1 udp 1 10.0.0.1 9 type host", "1 x udp 1 10.0.0.1 9 typ host",
        "1 1 udp 4294967296 10.0.0.1 9 typ host", "1 1 udp 1 10.0.0.1 65536 typ host", "1 257 udp 1 10.0.0.1 9 typ host",
        "f*o 1 udp 1 10.0.0.1 9 typ host", String(repeating: "a", count: 33) + " 1 udp 1 10.0.0.1 9 typ host",
        "1 1 udp 1 10.0.0.1 9 typ host generation", "1 1 udp 1 10.0.0.1 9 typ host rport x",
        "1 1 udp -1 10.0.0.1 9 typ host", "1 1 udp +1 10.0.0.1 9 typ host",
    ])
    func rejects(text: String) {
        #expect(throws: WireError.self) { try ICECandidate(parsing: text) }
    }

    @Test func priorityFormula() {
        // RFC 8445 §5.1.2.1 with the recommended host preference 126 and one interface.
        #expect(ICECandidate.priority(typePreference: 126, localPreference: 65535, component: 1) == 2_130_706_431)
        #expect(ICECandidate.priority(typePreference: 0, localPreference: 0, component: 256) == 0)
    }
}
