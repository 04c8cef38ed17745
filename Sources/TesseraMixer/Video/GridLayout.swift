public import TesseraMedia

/// Where each participant's tile goes on the composite (API.md: `grid`, one tile per
/// participant in join order; `speaker`, the loudest large and the others in a strip).
public enum LayoutGeometry {
    /// The grid for `count` tiles on a `width`×`height` canvas: the rows and columns whose
    /// cells, each holding a 16:9 picture, leave the picture area largest (on a tie, more
    /// columns: side by side suits a landscape canvas); cells in join order, row by row,
    /// the last row centred.
    public static func grid(count: Int, width: Int, height: Int, tileAspect: Double = 16.0 / 9.0) -> [FrameRect] {
        guard count > 0 else { return [] }
        var best: (columns: Int, rows: Int, area: Double) = (1, count, 0)
        for columns in (1...count).reversed() {
            let rows = (count + columns - 1) / columns
            let cellWidth = Double(width) / Double(columns)
            let cellHeight = Double(height) / Double(rows)
            let pictureWidth = min(cellWidth, cellHeight * tileAspect)
            let area = pictureWidth * (pictureWidth / tileAspect) * Double(count)
            if area > best.area + 0.5 { best = (columns, rows, area) }
        }
        let cellWidth = (width / best.columns) & ~1
        let cellHeight = (height / best.rows) & ~1
        let gridHeight = cellHeight * best.rows
        let top = ((height - gridHeight) / 2) & ~1
        var tiles: [FrameRect] = []
        for index in 0..<count {
            let row = index / best.columns
            let column = index % best.columns
            let inRow = min(best.columns, count - row * best.columns)
            let left = ((width - inRow * cellWidth) / 2) & ~1
            tiles.append(FrameRect(x: left + column * cellWidth, y: top + row * cellHeight, width: cellWidth, height: cellHeight))
        }
        return tiles
    }

    /// The speaker layout: the first tile takes the top 3/4 of the canvas, the others share
    /// a strip along the bottom (at most `stripMax`; more are left out of the picture).
    public static func speaker(count: Int, width: Int, height: Int, stripMax: Int = 6) -> [FrameRect] {
        guard count > 0 else { return [] }
        guard count > 1 else { return [FrameRect(x: 0, y: 0, width: width & ~1, height: height & ~1)] }
        let stripHeight = (height / 4) & ~1
        let main = FrameRect(x: 0, y: 0, width: width & ~1, height: (height - stripHeight) & ~1)
        let others = min(count - 1, stripMax)
        let cellWidth = (width / others) & ~1
        let left = ((width - cellWidth * others) / 2) & ~1
        return [main] + (0..<others).map {
            FrameRect(x: left + $0 * cellWidth, y: height - stripHeight, width: cellWidth, height: stripHeight)
        }
    }
}

/// Who is large in the speaker layout, held for a while so the picture does not flicker
/// between two people talking over each other.
public struct SpeakerHold: Sendable {
    public let hold: Duration
    public private(set) var current: String?
    private var since: Duration = .zero

    public init(hold: Duration = .seconds(2)) {
        self.hold = hold
    }

    /// Offers the loudest speaker at `now`; returns who is shown large.
    public mutating func update(loudest: String?, present: [String], now: Duration) -> String? {
        if let current, !present.contains(current) { self.current = nil }
        guard let loudest, loudest != current else { return current ?? present.first }
        if current == nil || now - since >= hold {
            current = loudest
            since = now
        }
        return current
    }
}
