import Testing
import TesseraMedia
import TesseraMixer

/// The compositor draws only what changed, and the result is always the canvas a full
/// redraw would give.
@Suite struct CompositorTests {
    private static let width = 640
    private static let height = 360

    private static func picture(_ width: Int, _ height: Int, y: UInt8) -> I420Frame {
        let frame = I420Frame(width: width, height: height)
        frame.fill(y: y, u: 100, v: 150)
        return frame
    }

    private static func bytes(_ frame: I420Frame) -> [UInt8] {
        var out: [UInt8] = []
        for row in 0..<frame.height { out += UnsafeBufferPointer(start: frame.planeY + row * frame.strideY, count: frame.width) }
        for row in 0..<frame.chromaHeight {
            out += UnsafeBufferPointer(start: frame.planeU + row * frame.strideUV, count: frame.chromaWidth)
            out += UnsafeBufferPointer(start: frame.planeV + row * frame.strideUV, count: frame.chromaWidth)
        }
        return out
    }

    /// What a compositor that never drew before makes of `tiles`.
    private static func fresh(_ tiles: [Compositor.Tile]) throws -> [UInt8] {
        let compositor = Compositor(width: width, height: height)
        try compositor.compose(tiles)
        return bytes(compositor.canvas)
    }

    @Test func anUnchangedPictureOrPlaceholderIsNotDrawnAgain() throws {
        let compositor = Compositor(width: Self.width, height: Self.height)
        let cells = LayoutGeometry.grid(count: 2, width: Self.width, height: Self.height)
        let a = Self.picture(320, 180, y: 200)
        try compositor.compose([.init(cell: cells[0], picture: a, version: 1), .init(cell: cells[1], picture: nil)])
        #expect(compositor.tilesDrawn == 2)
        try compositor.compose([.init(cell: cells[0], picture: a, version: 1), .init(cell: cells[1], picture: nil)])
        #expect(compositor.tilesDrawn == 2, "a stalled camera and a placeholder cost nothing")
        try compositor.compose([.init(cell: cells[0], picture: a, version: 2), .init(cell: cells[1], picture: nil)])
        #expect(compositor.tilesDrawn == 3, "a new picture is drawn")
        try compositor.compose([.init(cell: cells[0], picture: a), .init(cell: cells[1], picture: nil)])
        #expect(compositor.tilesDrawn == 4, "a picture without a version is always drawn")
    }

    @Test func afterEveryKindOfChangeTheCanvasIsWhatAFullRedrawGives() throws {
        let compositor = Compositor(width: Self.width, height: Self.height)
        let two = LayoutGeometry.grid(count: 2, width: Self.width, height: Self.height)
        let three = LayoutGeometry.grid(count: 3, width: Self.width, height: Self.height)
        let wide = Self.picture(320, 180, y: 200)
        let tall = Self.picture(180, 320, y: 90)
        let steps: [[Compositor.Tile]] = [
            [.init(cell: two[0], picture: wide, version: 1), .init(cell: two[1], picture: wide, version: 7)],
            // The first camera turns portrait: its old letterbox must not show around it.
            [.init(cell: two[0], picture: tall, version: 2), .init(cell: two[1], picture: wide, version: 7)],
            // It stalls into the placeholder, and back.
            [.init(cell: two[0], picture: nil), .init(cell: two[1], picture: wide, version: 7)],
            [.init(cell: two[0], picture: wide, version: 3), .init(cell: two[1], picture: wide, version: 7)],
            // Someone joins: every cell moves.
            [
                .init(cell: three[0], picture: wide, version: 3), .init(cell: three[1], picture: wide, version: 7),
                .init(cell: three[2], picture: nil),
            ],
        ]
        for (index, tiles) in steps.enumerated() {
            try compositor.compose(tiles)
            let got = Self.bytes(compositor.canvas)
            let want = try Self.fresh(tiles)
            let diff = zip(got, want).enumerated().filter { $0.element.0 != $0.element.1 }
            #expect(diff.isEmpty, "step \(index) differs from a full redraw: \(diff.count) bytes, first \(diff.prefix(3).map { ($0.offset / Self.width, $0.offset % Self.width, $0.element.0, $0.element.1) }) last \(diff.suffix(3).map { ($0.offset / Self.width, $0.offset % Self.width, $0.element.0, $0.element.1) })")
        }
    }
}
