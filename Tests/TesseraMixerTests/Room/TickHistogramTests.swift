import Testing
import TesseraMixer

@Suite struct TickHistogramTests {
    @Test func ticksFallIntoTheirBucketsAndQuantilesReadBack() {
        var histogram = TickHistogram()
        for _ in 0..<90 { histogram.observe(.microseconds(800)) }
        for _ in 0..<9 { histogram.observe(.milliseconds(15)) }
        histogram.observe(.milliseconds(250))
        #expect(histogram.count == 100)
        #expect(histogram.buckets[1] == 90 && histogram.buckets[5] == 9)
        #expect(histogram.upperBound(quantile: 0.5) == 0.001)
        #expect(histogram.upperBound(quantile: 0.95) == 0.020)
        #expect(histogram.upperBound(quantile: 1.0) == nil, "the slowest tick is beyond the last bound")
        #expect(abs(histogram.sum - (0.072 + 0.135 + 0.25)) < 1e-9)
        #expect(histogram.maximum == 0.25)
    }
}
