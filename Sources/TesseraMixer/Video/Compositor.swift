public import TesseraMedia

/// Draws the room's composite: a dark canvas, each tile's picture scaled into its cell
/// keeping its aspect ratio (letterboxed), and a placeholder for a tile without a picture
/// (no camera, video-muted, or stalled for too long). One canvas, reused every frame.
public final class Compositor {
    public let canvas: I420Frame
    private let scaler = I420Scaler()

    /// BT.601 limited-range colours: near-black background, slate placeholder.
    static let background: (y: UInt8, u: UInt8, v: UInt8) = (16, 128, 128)
    static let placeholder: (y: UInt8, u: UInt8, v: UInt8) = (60, 136, 120)

    public struct Tile {
        public let cell: FrameRect
        public let picture: I420Frame?

        public init(cell: FrameRect, picture: I420Frame?) {
            self.cell = cell
            self.picture = picture
        }
    }

    public init(width: Int, height: Int) {
        canvas = I420Frame(width: width, height: height)
        canvas.fill(y: Self.background.y, u: Self.background.u, v: Self.background.v)
    }

    /// Redraws the canvas with `tiles`.
    public func compose(_ tiles: [Tile]) throws(MediaError) {
        canvas.fill(y: Self.background.y, u: Self.background.u, v: Self.background.v)
        for tile in tiles {
            let cell = tile.cell.inset(by: 2)
            if let picture = tile.picture {
                try scaler.scale(picture, into: canvas, rect: cell.fitting(sourceWidth: picture.width, sourceHeight: picture.height))
            } else {
                let face = cell.fitting(sourceWidth: 16, sourceHeight: 9)
                try canvas.fill(y: Self.placeholder.y, u: Self.placeholder.u, v: Self.placeholder.v, in: face)
            }
        }
    }
}

extension FrameRect {
    /// Shrunk by `amount` on every side (kept even and at least 2×2), so tiles never touch.
    func inset(by amount: Int) -> FrameRect {
        let step = amount & ~1
        guard width > 2 * step + 2, height > 2 * step + 2 else { return self }
        return FrameRect(x: x + step, y: y + step, width: width - 2 * step, height: height - 2 * step)
    }
}
