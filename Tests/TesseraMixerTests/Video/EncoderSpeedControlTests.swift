import Testing
import TesseraMixer

@Suite struct EncoderSpeedControlTests {
    static let interval: Duration = .seconds(1) / 30

    @Test func longTicksMakeTheEncoderFasterAndShortOnesBringItBack() {
        var control = EncoderSpeedControl()
        var speed = 8
        var changes: [Int] = []
        func run(_ tick: Duration, ticks: Int) {
            for _ in 0..<ticks {
                if let new = control.observe(tick: tick, interval: Self.interval, current: speed, configured: 8) {
                    speed = new
                    changes.append(new)
                }
            }
        }
        run(.milliseconds(10), ticks: 60)
        #expect(changes.isEmpty, "a tick using 30% of the interval needs no change")
        run(.milliseconds(28), ticks: 90)
        #expect(changes == [12, 16], "faster, one step per settle period, at most 16")
        run(.milliseconds(28), ticks: 60)
        #expect(speed == 16)
        run(.milliseconds(5), ticks: 200)
        #expect(speed == 8, "back to the room's setting once the load is gone, never below it")
        #expect(changes.suffix(4) == [14, 12, 10, 8])
    }

    @Test func oneSlowTickDoesNotChangeIt() {
        var control = EncoderSpeedControl()
        var changed = false
        for index in 0..<100 {
            let tick: Duration = index == 50 ? .milliseconds(200) : .milliseconds(8)
            if control.observe(tick: tick, interval: Self.interval, current: 8, configured: 8) != nil { changed = true }
        }
        #expect(!changed)
    }
}
