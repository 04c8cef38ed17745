/// A rectangle on the composite canvas, in pixels; even coordinates and sizes, as I420
/// chroma planes need.
public struct TileRect: Sendable, Hashable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var description: String { "\(width)x\(height)+\(x)+\(y)" }

    /// The largest rectangle of aspect `sourceWidth:sourceHeight` centred in this one
    /// (letterbox or pillarbox), rounded down to even numbers.
    public func fitting(sourceWidth: Int, sourceHeight: Int) -> TileRect {
        guard sourceWidth > 0, sourceHeight > 0 else { return self }
        var fitWidth = width
        var fitHeight = width * sourceHeight / sourceWidth
        if fitHeight > height {
            fitHeight = height
            fitWidth = height * sourceWidth / sourceHeight
        }
        fitWidth = max(2, fitWidth & ~1)
        fitHeight = max(2, fitHeight & ~1)
        return TileRect(
            x: (x + (width - fitWidth) / 2) & ~1, y: (y + (height - fitHeight) / 2) & ~1, width: fitWidth, height: fitHeight)
    }
}
