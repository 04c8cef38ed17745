import Testing
import TesseraMixer

@Suite struct MixSelectionTests {
    @Test func aSoundIsSelectedInTheTickItStartsAndHeldThroughShortPauses() {
        var selection = MixSelection(maximum: 3, gate: 60, hangover: .milliseconds(300), tickInterval: .milliseconds(10))
        #expect(selection.select(levels: ["a": 127]).isEmpty, "silence is never mixed")
        #expect(selection.select(levels: ["a": 20]) == ["a"], "no onset is clipped")
        for _ in 0..<30 { #expect(selection.select(levels: ["a": 127]) == ["a"], "held through a 300 ms pause") }
        #expect(selection.select(levels: ["a": 127]).isEmpty, "released after the hangover")
    }

    @Test func theHangoverIsATimeWhateverTheTick() {
        for tick in [10, 20] {
            var selection = MixSelection(maximum: 3, hangover: .milliseconds(200), tickInterval: .milliseconds(tick))
            _ = selection.select(levels: ["a": 20])
            var held = 0
            while !selection.select(levels: [:]).isEmpty { held += tick }
            #expect(held == 200, "tick \(tick) ms")
        }
    }

    @Test func amongHeldInputsTheOneLoudMostRecentlyRanksFirst() {
        var selection = MixSelection(maximum: 1, hangover: .seconds(1), tickInterval: .milliseconds(10))
        _ = selection.select(levels: ["a": 20])
        for _ in 0..<10 { _ = selection.select(levels: ["b": 30]) }
        // a went quiet 100 ms ago: its peak fell 50 dB a second, to 25 (-dBov), still louder
        // than b's 30.
        #expect(selection.select(levels: [:]) == ["a"])
        for _ in 0..<20 { _ = selection.select(levels: ["b": 30]) }
        #expect(selection.select(levels: [:]) == ["b"], "300 ms on, a's peak fell below b's; a is still held")
    }

    @Test func onlyTheLoudestKAreMixed() {
        var selection = MixSelection(maximum: 2)
        let selected = selection.select(levels: ["a": 30, "b": 10, "c": 20, "d": 127])
        #expect(selected == ["b", "c"])
    }

    @Test func aRemovedInputIsDroppedAtOnce() {
        var selection = MixSelection(maximum: 3)
        _ = selection.select(levels: ["a": 10, "b": 20])
        selection.remove("a")
        #expect(selection.select(levels: [:]) == ["b"])
    }
}
