import Testing
import TesseraMedia
import TesseraMixer

@Suite struct LayoutGeometryTests {
    @Test(arguments: [(1, 1, 1), (2, 2, 1), (3, 2, 2), (4, 2, 2), (5, 3, 2), (6, 3, 2), (9, 3, 3), (10, 4, 3), (16, 4, 4)])
    func gridShapeSuitsA16by9Canvas(count: Int, columns: Int, rows: Int) {
        let tiles = LayoutGeometry.grid(count: count, width: 1280, height: 720)
        #expect(tiles.count == count)
        #expect(Set(tiles.map(\.y)).count == rows)
        #expect(tiles.filter { $0.y == tiles[0].y }.count == columns)
    }

    @Test func tilesStayInsideTheCanvasAndDoNotOverlap() {
        for count in 1...16 {
            let tiles = LayoutGeometry.grid(count: count, width: 1280, height: 720)
            for tile in tiles {
                #expect(tile.x >= 0 && tile.y >= 0 && tile.x + tile.width <= 1280 && tile.y + tile.height <= 720)
                #expect(tile.x % 2 == 0 && tile.y % 2 == 0 && tile.width % 2 == 0 && tile.height % 2 == 0)
            }
            for (i, a) in tiles.enumerated() {
                for b in tiles[(i + 1)...] {
                    let apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y
                    #expect(apart, "\(count) tiles: \(a) overlaps \(b)")
                }
            }
        }
    }

    @Test func lastRowIsCentred() {
        let tiles = LayoutGeometry.grid(count: 3, width: 1280, height: 720)
        #expect(tiles[2].x == 320)
    }

    @Test func fittingKeepsAspectAndCentres() {
        let cell = FrameRect(x: 0, y: 0, width: 640, height: 360)
        #expect(cell.fitting(sourceWidth: 1280, sourceHeight: 720) == cell)
        // A 4:3 camera is pillarboxed.
        #expect(cell.fitting(sourceWidth: 640, sourceHeight: 480) == FrameRect(x: 80, y: 0, width: 480, height: 360))
        // A portrait phone.
        #expect(cell.fitting(sourceWidth: 360, sourceHeight: 640) == FrameRect(x: 218, y: 0, width: 202, height: 360))
    }

    @Test func speakerLayoutPutsTheFirstLargeAndTheRestInAStrip() {
        let tiles = LayoutGeometry.speaker(count: 4, width: 1280, height: 720)
        #expect(tiles[0] == FrameRect(x: 0, y: 0, width: 1280, height: 540))
        #expect(tiles[1...].allSatisfy { $0.y == 540 && $0.height == 180 })
        #expect(LayoutGeometry.speaker(count: 1, width: 1280, height: 720) == [FrameRect(x: 0, y: 0, width: 1280, height: 720)])
    }

    @Test func speakerHoldStopsFlicker() {
        var hold = SpeakerHold(hold: .seconds(2))
        let people = ["a", "b", "c"]
        #expect(hold.update(loudest: "a", present: people, now: .zero) == "a")
        #expect(hold.update(loudest: "b", present: people, now: .milliseconds(500)) == "a")
        #expect(hold.update(loudest: "b", present: people, now: .milliseconds(2100)) == "b")
        #expect(hold.current == "b")
        // The large one leaving frees the slot at once.
        #expect(hold.update(loudest: "c", present: ["a", "c"], now: .milliseconds(2200)) == "c")
    }
}
