import Foundation
import Testing
import TesseraWire
@testable import TesseraTransport

@Suite struct SenderStatisticsTests {
    @Test func unixEpochIsNTPOffset() {
        let epoch = NTPTime(unixSeconds: 0)
        #expect(epoch.seconds == 2_208_988_800)
        #expect(epoch.fraction == 0)
        #expect(NTPTime(Date(timeIntervalSince1970: 0)).rawValue == 2_208_988_800 << 32)
        #expect(NTPTime.unixEpochOffset == 2_208_988_800)
    }

    @Test func knownDateConvertsExactly() {
        // 2024-01-01 00:00:00.5 UTC.
        let time = NTPTime(unixSeconds: 1_704_067_200, nanoseconds: 500_000_000)
        #expect(time.seconds == 3_913_056_000)
        #expect(time.fraction == 0x8000_0000)
        #expect(time.middle32 == 0x7F00_8000)
        #expect(NTPTime(secondsSince1970: 1_704_067_200.5) == time)
        #expect(NTPTime(Date(timeIntervalSince1970: 1_704_067_200.5)) == time)
        #expect(time.secondsSince1970 == 1_704_067_200.5)
        #expect((time + .milliseconds(250)).fraction == 0xC000_0000)
        #expect((time + .seconds(1)).seconds == 3_913_056_001)
    }

    @Test func senderReportCarriesCounts() throws {
        var stats = SenderStatistics(ssrc: 0xCAFE)
        #expect(!stats.isSender(now: .zero))
        stats.packetSent(payloadLength: 100, at: ms(0))
        stats.packetSent(payloadLength: 200, at: ms(10))
        let packet = try RTPPacket(parsing: rtpBytes(sequenceNumber: 3, paddingLength: 4))
        stats.packetSent(packet, at: ms(20)) // payload 4 bytes, header and padding excluded
        #expect(stats.isSender(now: ms(1000)))
        #expect(!stats.isSender(now: ms(5000)))

        let ntp = NTPTime(unixSeconds: 1_704_067_200, nanoseconds: 500_000_000)
        let block = ReportBlock(ssrc: 9, fractionLost: 3)
        let report = stats.makeSenderReport(ntpTime: ntp, rtpTimestamp: 123_456, reportBlocks: [block])
        #expect(report == SenderReport(
            ssrc: 0xCAFE, ntpTimestamp: ntp.rawValue, rtpTimestamp: 123_456,
            packetCount: 3, octetCount: 304, reportBlocks: [block]))

        var bytes: [UInt8] = []
        RTCPPacket.senderReport(report).serialize(into: &bytes)
        #expect(try parseRTCP(bytes) == [.senderReport(report)])
    }

    @Test func roundTripTimeFromReportBlock() {
        let lsr: UInt32 = 0x7F00_8000
        let block = ReportBlock(ssrc: 1, lastSenderReport: lsr, delaySinceLastSenderReport: 16384) // 0.25 s held
        let arrival = NTPTime(rawValue: UInt64(lsr + 32768) << 16) // 0.5 s after the SR
        #expect(SenderStatistics.roundTripTime(from: block, receivedAt: arrival) == .milliseconds(250))
        #expect(SenderStatistics.roundTripTime(from: ReportBlock(ssrc: 1), receivedAt: arrival) == nil)
    }
}
