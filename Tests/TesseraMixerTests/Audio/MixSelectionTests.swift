import Testing
import TesseraMixer

@Suite struct MixSelectionTests {
    @Test func aSoundIsSelectedInTheTickItStartsAndHeldThroughShortPauses() {
        var selection = MixSelection(maximum: 3, gate: 60, hangover: 15)
        #expect(selection.select(levels: ["a": 127]).isEmpty, "silence is never mixed")
        #expect(selection.select(levels: ["a": 20]) == ["a"], "no onset is clipped")
        for _ in 0..<15 { #expect(selection.select(levels: ["a": 127]) == ["a"], "held through a pause") }
        #expect(selection.select(levels: ["a": 127]).isEmpty, "released after the hangover")
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
