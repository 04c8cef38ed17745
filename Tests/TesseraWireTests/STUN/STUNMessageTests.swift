import Testing
@testable import TesseraWire

@Suite struct STUNMessageTests {
    static let key = Array("a-long-enough-ice-password".utf8)

    @Test func messageTypeInterleavesMethodAndClass() throws {
        #expect(STUNMessageType.bindingRequest.rawValue == 0x0001)
        #expect(STUNMessageType.bindingIndication.rawValue == 0x0011)
        #expect(STUNMessageType.bindingSuccessResponse.rawValue == 0x0101)
        #expect(STUNMessageType.bindingErrorResponse.rawValue == 0x0111)
        for method in [0x001, 0x003, 0x0FF, 0xABC, 0xFFF] as [UInt16] {
            for messageClass in [STUNMessageClass.request, .indication, .successResponse, .errorResponse] {
                let type = STUNMessageType(method: STUNMethod(rawValue: method), messageClass: messageClass)
                #expect(try STUNMessageType(rawValue: type.rawValue) == type)
                #expect(type.rawValue & 0xC000 == 0)
            }
        }
        #expect(throws: WireError.self) { try STUNMessageType(rawValue: 0x8001) }
    }

    @Test func everyAttributeKindRoundTrips() throws {
        let message = STUNMessage(type: .bindingErrorResponse, transactionID: .random(), attributes: [
            .username("remote:local"),
            .errorCode(.roleConflict),
            .xorMappedAddress(STUNTransportAddress(address: try #require(IPAddress("203.0.113.9")), port: 50000)),
            .xorMappedAddress(STUNTransportAddress(address: try #require(IPAddress("2001:db8::7")), port: 1)),
            .priority(0x6E00_1EFF),
            .useCandidate,
            .software("Tessera"),
            .iceControlling(0x0102_0304_0506_0708),
            .iceControlled(0xFFFF_FFFF_FFFF_FFFF),
            .unknown(type: STUNAttributeType(rawValue: 0xC057), value: [1, 2, 3, 4, 5]),
            .unknown(type: STUNAttributeType(rawValue: 0x7777), value: []),
        ])
        let bytes = message.serialized(integrityKey: Self.key, fingerprint: true)
        #expect(bytes.count % 4 == 0)
        #expect(STUNMessage.looksLikeSTUN(bytes))
        let parsed = try STUNMessage(parsing: bytes)
        #expect(parsed.withoutChecks() == message)
        #expect(parsed.verifyMessageIntegrity(key: Self.key))
        #expect(parsed.verifyFingerprint())
        #expect(parsed.errorCode == STUNErrorCode(code: 487, reason: "Role Conflict"))
        #expect(parsed.useCandidate)
        #expect(parsed.iceControlling == 0x0102_0304_0506_0708)
        #expect(parsed.unknownComprehensionRequiredTypes == [STUNAttributeType(rawValue: 0x7777)])
        // The last two attributes are MESSAGE-INTEGRITY then FINGERPRINT.
        #expect(parsed.attributes.suffix(2).map(\.type) == [.messageIntegrity, .fingerprint])
    }

    @Test func plainSerializationHasNoChecks() throws {
        let message = STUNMessage(type: .bindingIndication, attributes: [])
        let bytes = message.serialized()
        #expect(bytes.count == 20)
        let parsed = try STUNMessage(parsing: bytes)
        #expect(!parsed.verifyFingerprint())
        #expect(!parsed.verifyMessageIntegrity(key: Self.key))
        #expect(!message.verifyFingerprint(), "a message built in code has no wire bytes")
    }

    @Test func integrityWithoutFingerprint() throws {
        let message = STUNMessage(type: .bindingRequest, attributes: [.username("a:b"), .priority(7)])
        let parsed = try STUNMessage(parsing: message.serialized(integrityKey: Self.key))
        #expect(parsed.verifyMessageIntegrity(key: Self.key))
        #expect(!parsed.verifyFingerprint())
    }

    @Test func appendsAfterExistingBytes() throws {
        var writer = ByteWriter(appendingTo: [0xAA, 0xBB])
        let message = STUNMessage(type: .bindingRequest, attributes: [.username("x:y")])
        message.serialize(into: &writer, integrityKey: Self.key, fingerprint: true)
        let parsed = try STUNMessage(parsing: Array(writer.bytes.dropFirst(2)))
        #expect(parsed.verifyMessageIntegrity(key: Self.key))
        #expect(parsed.verifyFingerprint())
    }

    @Test func attributesAfterIntegrityAreIgnoredAndNothingFollowsFingerprint() throws {
        var bytes = STUNMessage(type: .bindingRequest, attributes: [.username("a:b")])
            .serialized(integrityKey: Self.key)
        // Append PRIORITY after MESSAGE-INTEGRITY and fix the header length.
        bytes += [0x00, 0x24, 0x00, 0x04, 0, 0, 0, 9]
        bytes[3] = UInt8(bytes.count - 20)
        let parsed = try STUNMessage(parsing: bytes)
        #expect(parsed.priority == nil)
        #expect(parsed.verifyMessageIntegrity(key: Self.key))

        var withFingerprint = STUNMessage(type: .bindingRequest, attributes: []).serialized(fingerprint: true)
        withFingerprint += [0x00, 0x24, 0x00, 0x04, 0, 0, 0, 9]
        withFingerprint[3] = UInt8(withFingerprint.count - 20)
        #expect(throws: WireError(.malformed, "STUN attribute after FINGERPRINT")) {
            try STUNMessage(parsing: withFingerprint)
        }
    }

    @Test func headerChecks() {
        let good = STUNMessage(type: .bindingRequest, attributes: [.priority(1)]).serialized()
        var badCookie = good
        badCookie[4] = 0x22
        #expect(throws: WireError(.malformed, "STUN magic cookie")) { try STUNMessage(parsing: badCookie) }
        #expect(!STUNMessage.looksLikeSTUN(badCookie))

        var oddLength = good
        oddLength[3] = 7
        #expect(throws: WireError.self) { try STUNMessage(parsing: oddLength) }

        #expect(throws: WireError(.malformed, "STUN: bytes after the message")) { try STUNMessage(parsing: good + [0, 0, 0, 0]) }
        #expect(!STUNMessage.looksLikeSTUN(good + [0, 0, 0, 0]))

        var rtpLike = good
        rtpLike[0] = 0x80
        #expect(!STUNMessage.looksLikeSTUN(rtpLike))
        #expect(STUNMessage.looksLikeSTUN(good))
        #expect(STUNMessage.looksLikeSTUN(good[...]))
        #expect(!STUNMessage.looksLikeSTUN([UInt8](repeating: 0, count: 19)))
    }

    @Test func attributeCountIsBounded() throws {
        let many = STUNMessage(type: .bindingRequest, attributes: Array(repeating: .useCandidate, count: 65))
        #expect(throws: WireError(.tooLarge, "STUN attribute count")) { try STUNMessage(parsing: many.serialized()) }
        let limit = STUNMessage(type: .bindingRequest, attributes: Array(repeating: .useCandidate, count: 64))
        #expect(try STUNMessage(parsing: limit.serialized()).attributes.count == 64)
    }

    @Test func attributeValueChecks() {
        func message(_ type: UInt16, _ value: [UInt8]) -> [UInt8] {
            var writer = ByteWriter()
            writer.u16(0x0001)
            writer.u16(UInt16(4 + (value.count + 3) / 4 * 4))
            writer.u32(STUNMessage.magicCookie)
            writer.zeros(12)
            writer.u16(type)
            writer.u16(UInt16(value.count))
            writer.append(contentsOf: value)
            writer.zeros((4 - value.count % 4) % 4)
            return writer.bytes
        }
        #expect(throws: WireError.self) { try STUNMessage(parsing: message(0x0024, [1, 2])) }           // PRIORITY
        #expect(throws: WireError.self) { try STUNMessage(parsing: message(0x0025, [1])) }              // USE-CANDIDATE
        #expect(throws: WireError.self) { try STUNMessage(parsing: message(0x8029, [1, 2, 3, 4])) }     // ICE-CONTROLLED
        #expect(throws: WireError.self) { try STUNMessage(parsing: message(0x0008, [1, 2, 3, 4])) }     // MESSAGE-INTEGRITY
        #expect(throws: WireError.self) { try STUNMessage(parsing: message(0x0020, [0, 3, 0, 0, 1, 2, 3, 4])) } // family 3
        #expect(throws: WireError.self) { try STUNMessage(parsing: message(0x0020, [0, 1, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8])) }
        #expect(throws: WireError.self) { try STUNMessage(parsing: message(0x0009, [0, 0, 2, 0])) }     // class 2
        #expect(throws: WireError.self) { try STUNMessage(parsing: message(0x0009, [0, 0, 4, 100])) }   // number 100
        #expect(throws: WireError.self) { try STUNMessage(parsing: message(0x0006, [0xFF, 0xFE])) }     // bad UTF-8
        #expect(throws: WireError.self) { try STUNMessage(parsing: message(0x0006, Array(repeating: 0x61, count: 513))) }
        #expect(throws: Never.self) { try STUNMessage(parsing: message(0x0009, [0, 0, 4, 1] + Array("Unauthorized".utf8))) }
    }

    @Test func seededGarbageNeverCrashes() {
        var generator = SeededGenerator(seed: 5769)
        let seeds = [RFC5769VectorTests.sampleRequest, RFC5769VectorTests.ipv4Response, RFC5769VectorTests.ipv6Response]
        for round in 0..<6000 {
            var input: [UInt8]
            if round % 2 == 0 {
                input = generator.bytes(count: Int.random(in: 0...120, using: &generator))
                if input.count >= 8, round % 4 == 0 {
                    // Plausible header so parsing reaches the attributes.
                    input[0] = 0; input[1] = 1
                    input[2] = 0; input[3] = UInt8(truncatingIfNeeded: input.count - 20)
                    input[4] = 0x21; input[5] = 0x12; input[6] = 0xA4; input[7] = 0x42
                }
            } else {
                input = generator.mutate(seeds[round % 3], edits: Int.random(in: 1...4, using: &generator))
            }
            _ = STUNMessage.looksLikeSTUN(input)
            if let message = try? STUNMessage(parsing: input) {
                _ = message.verifyFingerprint()
                _ = message.verifyMessageIntegrity(key: RFC5769VectorTests.password)
                _ = message.serialized(integrityKey: [1], fingerprint: true)
            }
        }
    }
}
