public import TesseraMedia

/// Tile placement on the composite canvas uses the media layer's `FrameRect` (the scaler
/// draws into exactly that rectangle); this adds fitting an input's aspect into a cell.
extension FrameRect {
    /// The largest rectangle of aspect `sourceWidth:sourceHeight` centred in this one
    /// (letterbox or pillarbox), rounded down to even numbers.
    public func fitting(sourceWidth: Int, sourceHeight: Int) -> FrameRect {
        guard sourceWidth > 0, sourceHeight > 0 else { return self }
        var fitWidth = width
        var fitHeight = width * sourceHeight / sourceWidth
        if fitHeight > height {
            fitHeight = height
            fitWidth = height * sourceWidth / sourceHeight
        }
        fitWidth = max(2, fitWidth & ~1)
        fitHeight = max(2, fitHeight & ~1)
        return FrameRect(
            x: (x + (width - fitWidth) / 2) & ~1, y: (y + (height - fitHeight) / 2) & ~1, width: fitWidth, height: fitHeight)
    }
}
