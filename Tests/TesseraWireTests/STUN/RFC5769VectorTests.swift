import Testing
@testable import TesseraWire

/// RFC 5769 §2: STUN test vectors, typed in byte for byte.
@Suite struct RFC5769VectorTests {
    static let password = Array("VOkJxbRl1RmTxUk/WvJxBt".utf8)

    /// §2.1 Sample Request (USERNAME padded with spaces, as in the RFC).
    static let sampleRequest = hex("""
        00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
        00 24 00 04 6e 00 01 ff
        80 29 00 08 93 2f f9 b1 51 26 3b 36
        00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
        00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
        80 28 00 04 e5 7a 3b cf
        """)

    /// §2.2 Sample IPv4 Response.
    static let ipv4Response = hex("""
        01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
        00 20 00 08 00 01 a1 47 e1 12 a6 43
        00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
        80 28 00 04 c0 7d 4c 96
        """)

    /// §2.3 Sample IPv6 Response.
    static let ipv6Response = hex("""
        01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
        00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
        00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
        80 28 00 04 c8 fb 0b 4c
        """)

    static let transactionID = STUNTransactionID(high: 0xB7E7_A701, low: 0xBC34_D686_FA87_DFAE)

    @Test func section2_1SampleRequest() throws {
        let message = try STUNMessage(parsing: Self.sampleRequest)
        #expect(message.type == .bindingRequest)
        #expect(message.transactionID == Self.transactionID)
        #expect(message.software == "STUN test client")
        #expect(message.priority == 0x6E00_01FF)
        #expect(message.iceControlled == 0x932F_F9B1_5126_3B36)
        #expect(message.username == "evtj:h6vY")
        #expect(message.verifyMessageIntegrity(key: Self.password))
        #expect(message.verifyFingerprint())
        #expect(!message.verifyMessageIntegrity(key: Array("wrong password".utf8)))
        #expect(message.attributes.count == 6)
    }

    @Test func section2_2IPv4Response() throws {
        let message = try STUNMessage(parsing: Self.ipv4Response)
        #expect(message.type == .bindingSuccessResponse)
        #expect(message.software == "test vector")
        #expect(message.xorMappedAddress == STUNTransportAddress(address: IPAddress("192.0.2.1")!, port: 32853))
        #expect(message.xorMappedAddress?.description == "192.0.2.1:32853")
        #expect(message.verifyMessageIntegrity(key: Self.password))
        #expect(message.verifyFingerprint())
    }

    @Test func section2_3IPv6Response() throws {
        let message = try STUNMessage(parsing: Self.ipv6Response)
        #expect(message.type == .bindingSuccessResponse)
        let address = try #require(message.xorMappedAddress)
        #expect(address.address == IPAddress("2001:db8:1234:5678:11:2233:4455:6677"))
        #expect(address.address.description == "2001:db8:1234:5678:11:2233:4455:6677")
        #expect(address.port == 32853)
        #expect(message.verifyMessageIntegrity(key: Self.password))
        #expect(message.verifyFingerprint())
    }

    @Test(arguments: [sampleRequest, ipv4Response, ipv6Response])
    func anyChangedByteBreaksTheChecks(vector: [UInt8]) throws {
        // Flip one bit in each byte covered by both MESSAGE-INTEGRITY and FINGERPRINT
        // (skip the length field, which makes the parse itself fail).
        for index in 20..<(vector.count - 32) {
            var damaged = vector
            damaged[index] ^= 0x01
            guard let message = try? STUNMessage(parsing: damaged) else { continue }
            #expect(!message.verifyMessageIntegrity(key: Self.password), "byte \(index)")
            #expect(!message.verifyFingerprint(), "byte \(index)")
        }
    }

    @Test(arguments: [sampleRequest, ipv4Response, ipv6Response])
    func everyTruncatedPrefixThrows(vector: [UInt8]) {
        for length in 0..<vector.count {
            #expect(throws: WireError.self) { try STUNMessage(parsing: Array(vector[..<length])) }
        }
    }

    /// The builder writes the vectors' messages with zero padding (RFC 8489 §14); the expected
    /// bytes, MESSAGE-INTEGRITY and FINGERPRINT were computed independently.
    @Test func builderMatchesZeroPaddedVectors() throws {
        let request = STUNMessage(type: .bindingRequest, transactionID: Self.transactionID, attributes: [
            .software("STUN test client"), .priority(0x6E00_01FF), .iceControlled(0x932F_F9B1_5126_3B36),
            .username("evtj:h6vY"),
        ])
        #expect(hexString(request.serialized(integrityKey: Self.password, fingerprint: true)) ==
            "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74002400046e0001ff"
            + "80290008932ff9b151263b36000600096576746a3a68367659000000000800147907c2d2edbfea480e4c76d82962d5c3"
            + "742af9e380280004e352928d")

        let v4 = STUNMessage(type: .bindingSuccessResponse, transactionID: Self.transactionID, attributes: [
            .software("test vector"),
            .xorMappedAddress(STUNTransportAddress(address: try #require(IPAddress("192.0.2.1")), port: 32853)),
        ])
        #expect(hexString(v4.serialized(integrityKey: Self.password, fingerprint: true)) ==
            "0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7200002000080001a147e112a643"
            + "000800145d6b58bead94e07eef0dfc1282a2bd08431410288028000425167a15")

        let v6 = STUNMessage(type: .bindingSuccessResponse, transactionID: Self.transactionID, attributes: [
            .software("test vector"),
            .xorMappedAddress(STUNTransportAddress(
                address: try #require(IPAddress("2001:db8:1234:5678:11:2233:4455:6677")), port: 32853)),
        ])
        #expect(hexString(v6.serialized(integrityKey: Self.password, fingerprint: true)) ==
            "010100482112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7200002000140002a1470113a9fa"
            + "a5d3f179bc25f4b5bed2b9d900080014bd036d6a331750dfe2edc58e643455cff5c8e264802800044f260293")
    }

    @Test func reparsedVectorResignsIdentically() throws {
        // Parse the RFC bytes, then sign again: only the padding bytes differ from the RFC.
        let message = try STUNMessage(parsing: Self.ipv4Response)
        let rebuilt = try STUNMessage(parsing: message.serialized(integrityKey: Self.password, fingerprint: true))
        #expect(rebuilt.withoutChecks() == message.withoutChecks())
        #expect(rebuilt.verifyMessageIntegrity(key: Self.password))
        #expect(rebuilt.verifyFingerprint())
    }
}

extension STUNMessage {
    /// The message without its MESSAGE-INTEGRITY and FINGERPRINT values (for comparisons after re-signing).
    func withoutChecks() -> STUNMessage {
        STUNMessage(type: type, transactionID: transactionID, attributes: attributes.filter {
            $0.type != .messageIntegrity && $0.type != .fingerprint
        })
    }
}
