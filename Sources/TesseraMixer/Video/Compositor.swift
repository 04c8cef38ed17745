public import TesseraMedia

/// Draws the room's composite: a dark canvas, each tile's picture scaled into its cell
/// keeping its aspect ratio (letterboxed), and a placeholder for a tile without a picture
/// (no camera, video-muted, or stalled for too long). One canvas, reused every frame.
///
/// Only what changed is drawn: the canvas keeps last frame's pixels, a tile whose cell
/// and picture `version` are unchanged is left as it is (a stalled camera, a placeholder),
/// and the background is repainted only when the cells move (a join, a leave, a layout).
public final class Compositor {
    public let canvas: I420Frame
    private let scaler = I420Scaler()

    /// What a tile position shows on the canvas now.
    fileprivate enum Content: Equatable {
        case picture(version: Int, rect: FrameRect)
        case placeholder
    }

    private var drawn: [(cell: FrameRect, content: Content?)] = []
    /// Tiles scaled or painted so far (tests and the benchmark see what was skipped).
    public private(set) var tilesDrawn = 0

    /// BT.601 limited-range colours: near-black background, slate placeholder.
    static let background: (y: UInt8, u: UInt8, v: UInt8) = (16, 128, 128)
    static let placeholder: (y: UInt8, u: UInt8, v: UInt8) = (60, 136, 120)

    public struct Tile {
        public let cell: FrameRect
        public let picture: I420Frame?
        /// Identifies the picture's content in the room (nil: unknown, always drawn).
        public let version: Int?

        public init(cell: FrameRect, picture: I420Frame?, version: Int? = nil) {
            self.cell = cell
            self.picture = picture
            self.version = version
        }
    }

    public init(width: Int, height: Int) {
        canvas = I420Frame(width: width, height: height)
        canvas.fill(y: Self.background.y, u: Self.background.u, v: Self.background.v)
    }

    /// Brings the canvas up to `tiles`. When every tile keeps its rectangle and kind, only
    /// the pictures with a new version are scaled again; any other change (cells moved, a
    /// camera turned, a placeholder came or went) repaints the whole canvas, since swscale
    /// may write a few pixels past a rectangle's right edge into the margin.
    public func compose(_ tiles: [Tile]) throws(MediaError) {
        let sameShape =
            drawn.count == tiles.count && zip(drawn, tiles).allSatisfy { $0.cell == $1.cell && Self.content(of: $1) ~= $0 }
        if !sameShape {
            canvas.fill(y: Self.background.y, u: Self.background.u, v: Self.background.v)
            drawn = tiles.map { ($0.cell, nil) }
        }
        for (index, tile) in tiles.enumerated() {
            let content = Self.content(of: tile)
            if drawn[index].content == content, tile.picture == nil || tile.version != nil { continue }
            switch content {
            case .picture(_, let rect):
                guard let picture = tile.picture else { continue }
                try scaler.scale(picture, into: canvas, rect: rect)
            case .placeholder:
                let face = tile.cell.inset(by: 2).fitting(sourceWidth: 16, sourceHeight: 9)
                try canvas.fill(y: Self.placeholder.y, u: Self.placeholder.u, v: Self.placeholder.v, in: face)
            }
            drawn[index] = (tile.cell, content)
            tilesDrawn += 1
        }
    }

    private static func content(of tile: Tile) -> Content {
        guard let picture = tile.picture else { return .placeholder }
        let rect = tile.cell.inset(by: 2).fitting(sourceWidth: picture.width, sourceHeight: picture.height)
        return .picture(version: tile.version ?? -1, rect: rect)
    }
}

/// A tile drawn as `drawn` has the same shape (cell, and picture rectangle or placeholder)
/// as one that would be drawn as `content`: only its picture's version may differ.
private func ~= (content: Compositor.Content, drawn: (cell: FrameRect, content: Compositor.Content?)) -> Bool {
    switch (content, drawn.content) {
    case (.placeholder, .placeholder?): true
    case (.picture(_, let rect), .picture(_, let drawnRect)?): rect == drawnRect
    default: false
    }
}

extension FrameRect {
    /// Shrunk by `amount` on every side (kept even and at least 2×2), so tiles never touch.
    public func inset(by amount: Int) -> FrameRect {
        let step = amount & ~1
        guard width > 2 * step + 2, height > 2 * step + 2 else { return self }
        return FrameRect(x: x + step, y: y + step, width: width - 2 * step, height: height - 2 * step)
    }
}
