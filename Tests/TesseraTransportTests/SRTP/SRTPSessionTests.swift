import TesseraTransport
import Testing

@Suite struct SRTPSessionTests {
    // MARK: Round trips

    @Test(arguments: SRTPProfile.allCases)
    func rtpRoundTripsBothWays(_ profile: SRTPProfile) throws {
        let (server, client) = try Fixtures.dtlsPair(profile)
        for (sequence, size) in zip(UInt16(100)..., [0, 1, 15, 16, 17, 160, 1200, 1500 - 12]) {
            let original = Fixtures.rtp(sequence: sequence, payload: Fixtures.payload(size, seed: UInt64(sequence)))
            for (sender, receiver) in [(server, client), (client, server)] {
                var packet = original
                try sender.protectRTP(&packet)
                #expect(packet.count == original.count + profile.authTagLength)
                #expect(Array(packet[0..<12]) == Array(original[0..<12]), "the header stays in the clear")
                if size >= 16 {
                    #expect(Array(packet[12..<original.count]) != Array(original[12...]), "the payload is encrypted")
                }
                try receiver.unprotectRTP(&packet)
                #expect(packet == original)
            }
        }
    }

    @Test(arguments: SRTPProfile.allCases)
    func rtcpRoundTripsBothWays(_ profile: SRTPProfile) throws {
        let (server, client) = try Fixtures.dtlsPair(profile)
        for extraWords in [0, 1, 6, 50, 300] {
            let original = Fixtures.rtcp(extraWords: extraWords)
            for (sender, receiver) in [(server, client), (client, server)] {
                var packet = original
                try sender.protectRTCP(&packet)
                #expect(packet.count == original.count + 4 + profile.authTagLength)
                try receiver.unprotectRTCP(&packet)
                #expect(packet == original)
            }
        }
    }

    /// Wildcard SSRC templates: each SSRC gets its own stream (and replay window).
    @Test(arguments: SRTPProfile.allCases)
    func severalSSRCsShareOneSession(_ profile: SRTPProfile) throws {
        let (server, client) = try Fixtures.dtlsPair(profile)
        for ssrc in [UInt32(1), 0xFFFF_FFFF, 0x0BAD_CAFE] {
            // The same sequence number on different SSRCs is not a replay.
            let original = Fixtures.rtp(sequence: 7, ssrc: ssrc, payload: Fixtures.payload(64))
            var packet = original
            try client.protectRTP(&packet)
            try server.unprotectRTP(&packet)
            #expect(packet == original)
        }
    }

    // MARK: Tampering

    @Test(arguments: SRTPProfile.allCases)
    func flippedBitInCiphertextFailsAuthentication(_ profile: SRTPProfile) throws {
        let (server, client) = try Fixtures.dtlsPair(profile)
        var packet = Fixtures.rtp(sequence: 1, payload: Fixtures.payload(100))
        try client.protectRTP(&packet)
        packet[40] ^= 0x01
        let error = #expect(throws: SRTPError.self) { try server.unprotectRTP(&packet) }
        #expect(error?.kind == .authenticationFailed)
    }

    @Test(arguments: SRTPProfile.allCases)
    func flippedBitInTagFailsAuthentication(_ profile: SRTPProfile) throws {
        let (server, client) = try Fixtures.dtlsPair(profile)
        var packet = Fixtures.rtp(sequence: 1, payload: Fixtures.payload(100))
        try client.protectRTP(&packet)
        packet[packet.count - 1] ^= 0x80
        let error = #expect(throws: SRTPError.self) { try server.unprotectRTP(&packet) }
        #expect(error?.kind == .authenticationFailed)
    }

    @Test(arguments: SRTPProfile.allCases)
    func flippedBitInHeaderFailsAuthentication(_ profile: SRTPProfile) throws {
        let (server, client) = try Fixtures.dtlsPair(profile)
        var packet = Fixtures.rtp(sequence: 1, payload: Fixtures.payload(100))
        try client.protectRTP(&packet)
        packet[4] ^= 0x01  // timestamp
        let error = #expect(throws: SRTPError.self) { try server.unprotectRTP(&packet) }
        #expect(error?.kind == .authenticationFailed)
    }

    @Test(arguments: SRTPProfile.allCases)
    func tamperedRTCPFailsAuthentication(_ profile: SRTPProfile) throws {
        let (server, client) = try Fixtures.dtlsPair(profile)
        for position in [9, -1] {
            var packet = Fixtures.rtcp(extraWords: 4)
            try client.protectRTCP(&packet)
            packet[position >= 0 ? position : packet.count + position] ^= 0x10
            let error = #expect(throws: SRTPError.self) { try server.unprotectRTCP(&packet) }
            #expect(error?.kind == .authenticationFailed)
        }
    }

    @Test(arguments: SRTPProfile.allCases)
    func keysFromOtherMaterialFailAuthentication(_ profile: SRTPProfile) throws {
        let (_, client) = try Fixtures.dtlsPair(profile, seed: 1)
        let (stranger, _) = try Fixtures.dtlsPair(profile, seed: 2)
        var packet = Fixtures.rtp(sequence: 1, payload: Fixtures.payload(50))
        try client.protectRTP(&packet)
        let error = #expect(throws: SRTPError.self) { try stranger.unprotectRTP(&packet) }
        #expect(error?.kind == .authenticationFailed)
    }

    // MARK: Replay (RFC 3711 §3.3.2)

    @Test(arguments: SRTPProfile.allCases)
    func replayedRTPIsRejected(_ profile: SRTPProfile) throws {
        let (server, client) = try Fixtures.dtlsPair(profile)
        var packet = Fixtures.rtp(sequence: 500, payload: Fixtures.payload(80))
        try client.protectRTP(&packet)
        let copy = packet
        try server.unprotectRTP(&packet)

        var replayed = copy
        let error = #expect(throws: SRTPError.self) { try server.unprotectRTP(&replayed) }
        #expect(error?.kind == .replay)
    }

    @Test(arguments: SRTPProfile.allCases)
    func replayedRTCPIsRejected(_ profile: SRTPProfile) throws {
        let (server, client) = try Fixtures.dtlsPair(profile)
        var packet = Fixtures.rtcp(extraWords: 3)
        try client.protectRTCP(&packet)
        let copy = packet
        try server.unprotectRTCP(&packet)

        var replayed = copy
        let error = #expect(throws: SRTPError.self) { try server.unprotectRTCP(&replayed) }
        #expect(error?.kind == .replay)
    }

    /// Reordering inside the 1024-packet window is fine; a packet older than the window is a replay.
    @Test(arguments: SRTPProfile.allCases)
    func replayWindowIs1024Packets(_ profile: SRTPProfile) throws {
        let (server, client) = try Fixtures.dtlsPair(profile)
        var protected: [UInt16: [UInt8]] = [:]
        for sequence: UInt16 in [1, 2, 1000, 1100, 1500] {
            var packet = Fixtures.rtp(sequence: sequence, payload: Fixtures.payload(20))
            try client.protectRTP(&packet)
            protected[sequence] = packet
        }
        var newest = protected[1500]!
        try server.unprotectRTP(&newest)

        var late = protected[1000]!  // 500 behind: inside the window
        try server.unprotectRTP(&late)

        var tooOld = protected[2]!  // 1498 behind: outside the window
        let error = #expect(throws: SRTPError.self) { try server.unprotectRTP(&tooOld) }
        #expect(error?.kind == .replay)
    }

    // MARK: Rollover (RFC 3711 §3.3.1)

    @Test(arguments: SRTPProfile.allCases)
    func sequenceWrapStillRoundTrips(_ profile: SRTPProfile) throws {
        let (server, client) = try Fixtures.dtlsPair(profile)
        var sequence: UInt16 = 65_500
        for step in 0..<120 {
            let original = Fixtures.rtp(
                sequence: sequence, timestamp: UInt32(step) * 960, payload: Fixtures.payload(90, seed: UInt64(step)))
            var packet = original
            try client.protectRTP(&packet)
            try server.unprotectRTP(&packet)
            #expect(packet == original, "sequence \(sequence)")
            sequence &+= 1
        }
    }

    /// A packet reordered across the wrap (65535 arriving after 0) still decrypts with ROC 0.
    @Test(arguments: SRTPProfile.allCases)
    func reorderingAcrossTheWrap(_ profile: SRTPProfile) throws {
        let (server, client) = try Fixtures.dtlsPair(profile)
        var sent: [[UInt8]] = []
        for sequence: UInt16 in [65_533, 65_534, 65_535, 0, 1] {
            var packet = Fixtures.rtp(sequence: sequence, payload: Fixtures.payload(30, seed: UInt64(sequence)))
            try client.protectRTP(&packet)
            sent.append(packet)
        }
        for index in [0, 1, 3, 2, 4] {
            var packet = sent[index]
            try server.unprotectRTP(&packet)
            #expect(packet[2] == sent[index][2] && packet[3] == sent[index][3])
        }
    }

    // MARK: Retransmission (allow_repeat_tx)

    @Test(arguments: SRTPProfile.allCases)
    func retransmittedPacketIsReprotectedIdentically(_ profile: SRTPProfile) throws {
        let (server, client) = try Fixtures.dtlsPair(profile)
        var history: [UInt16: [UInt8]] = [:]
        var firstProtection: [UInt16: [UInt8]] = [:]
        for sequence in UInt16(1)...200 {
            let plain = Fixtures.rtp(sequence: sequence, payload: Fixtures.payload(120, seed: UInt64(sequence)))
            history[sequence] = plain
            var packet = plain
            try server.protectRTP(&packet)
            firstProtection[sequence] = packet
            if sequence != 50 {  // "lost" on the way
                try client.unprotectRTP(&packet)
            }
        }

        // NACK for 50: re-protect the stored plaintext.
        var retransmission = history[50]!
        try server.protectRTP(&retransmission)
        #expect(retransmission == firstProtection[50]!)

        try client.unprotectRTP(&retransmission)
        #expect(retransmission == history[50]!)

        // Retransmitting the newest packet again works too.
        var again = history[200]!
        try server.protectRTP(&again)
        #expect(again == firstProtection[200]!)
    }

    // MARK: Bounds

    @Test(arguments: SRTPProfile.allCases)
    func shortPacketsAreBadInputAndUntouched(_ profile: SRTPProfile) throws {
        let (server, _) = try Fixtures.dtlsPair(profile)
        for length in 0..<12 {
            let original = [UInt8](repeating: 0x80, count: length)
            for operation in [server.protectRTP, server.unprotectRTP] {
                var packet = original
                let error = #expect(throws: SRTPError.self) { try operation(&packet) }
                #expect(error?.kind == .badInput)
                #expect(packet == original)
            }
            if length < 8 {
                for operation in [server.protectRTCP, server.unprotectRTCP] {
                    var packet = original
                    let error = #expect(throws: SRTPError.self) { try operation(&packet) }
                    #expect(error?.kind == .badInput)
                    #expect(packet == original)
                }
            }
        }
    }

    @Test(arguments: SRTPProfile.allCases)
    func oversizedPacketsAreBadInput(_ profile: SRTPProfile) throws {
        let (server, client) = try Fixtures.dtlsPair(profile)
        var largest = Fixtures.rtp(sequence: 1, payload: Fixtures.payload(SRTPSession.maximumPlaintextLength - 12))
        try client.protectRTP(&largest)
        try server.unprotectRTP(&largest)

        var tooLarge = Fixtures.rtp(sequence: 2, payload: Fixtures.payload(SRTPSession.maximumPlaintextLength - 11))
        let protectError = #expect(throws: SRTPError.self) { try client.protectRTP(&tooLarge) }
        #expect(protectError?.kind == .badInput)
        #expect(tooLarge.count == SRTPSession.maximumPlaintextLength + 1)

        var tooLargeProtected = [UInt8](repeating: 0x80, count: SRTPSession.maximumProtectedLength + 1)
        let unprotectError = #expect(throws: SRTPError.self) { try server.unprotectRTP(&tooLargeProtected) }
        #expect(unprotectError?.kind == .badInput)
        let rtcpError = #expect(throws: SRTPError.self) { try server.unprotectRTCP(&tooLargeProtected) }
        #expect(rtcpError?.kind == .badInput)
    }

    /// With spare capacity reserved, protect works inside the caller's storage (no reallocation).
    @Test(arguments: SRTPProfile.allCases)
    func protectStaysInTheCallersBuffer(_ profile: SRTPProfile) throws {
        let (server, client) = try Fixtures.dtlsPair(profile)
        var packet = Fixtures.rtp(sequence: 3, payload: Fixtures.payload(200))
        packet.reserveCapacity(packet.count + SRTPSession.trailerCapacity)
        let before = packet.withUnsafeBufferPointer { $0.baseAddress }
        try server.protectRTP(&packet)
        try client.unprotectRTP(&packet)
        let after = packet.withUnsafeBufferPointer { $0.baseAddress }
        #expect(before == after)
    }

    @Test func wrongKeyLengthsAreBadInput() {
        let good = Fixtures.rfcMasterKeys
        let shortKey = SRTPMasterKeys(key: Array(good.key.dropLast()), salt: good.salt)
        let gcmSalt = SRTPMasterKeys(key: good.key, salt: Array(good.salt.prefix(12)))
        for (profile, inbound, outbound) in [
            (SRTPProfile.aes128CmHmacSha1_80, shortKey, good),
            (.aes128CmHmacSha1_80, good, gcmSalt),
            (.aeadAes128Gcm, good, gcmSalt),
        ] {
            let error = #expect(throws: SRTPError.self) {
                _ = try SRTPSession(profile: profile, inbound: inbound, outbound: outbound)
            }
            #expect(error?.kind == .badInput)
        }
    }

    @Test func errorDescriptionsNameTheProblem() {
        #expect(SRTPError(.authenticationFailed, "unprotect RTP").description == "unprotect RTP: authentication failed")
        #expect(SRTPError(.libraryFailure(code: 8), "protect RTP").description == "protect RTP: libsrtp cipher_fail (8)")
    }
}
