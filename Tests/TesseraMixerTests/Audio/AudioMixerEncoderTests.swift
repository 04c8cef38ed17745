import Testing
import TesseraMedia
@testable import TesseraMixer

/// The mix encoders' settings, which decide a room's audio CPU (issue 7).
@Suite struct AudioMixerEncoderTests {
    @Test func everyMixEncoderRunsAtTheRoomsOpusComplexity() throws {
        let encoder = try MixerSettings.makeMixEncoder(bitrate: 48_000)
        #expect(try encoder.complexity() == MixerSettings.opusComplexity)
        #expect(MixerSettings.opusComplexity < 9, "cheaper than libopus' default")
    }
}
