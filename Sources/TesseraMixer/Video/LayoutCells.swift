import TesseraMedia

/// The cells of a room's layout (`LayoutGeometry`), kept until the layout, the canvas or
/// the number of tiles changes: a video tick reuses them instead of building the same
/// array every frame (issue 7: no allocation per mixed frame in steady state).
struct LayoutCells {
    private struct Shape: Equatable {
        let layout: MixerSettings.Layout
        let count: Int
        let width: Int
        let height: Int
    }

    private var shape: Shape?
    private var cells: [FrameRect] = []

    /// The cells for `count` tiles of `layout` on a `width`×`height` canvas.
    mutating func cells(_ layout: MixerSettings.Layout, count: Int, width: Int, height: Int) -> [FrameRect] {
        let wanted = Shape(layout: layout, count: count, width: width, height: height)
        guard wanted != shape else { return cells }
        shape = wanted
        switch layout {
        case .grid: cells = LayoutGeometry.grid(count: count, width: width, height: height)
        case .speaker: cells = LayoutGeometry.speaker(count: count, width: width, height: height)
        }
        return cells
    }
}
