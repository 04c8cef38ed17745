import TesseraMedia

/// Mean Y, U and V of a frame (or of a chroma-aligned part of it), for colour checks.
func meanColour(of frame: I420Frame, in rect: FrameRect? = nil) -> (y: Double, u: Double, v: Double) {
    let area = rect ?? FrameRect(x: 0, y: 0, width: frame.width & ~1, height: frame.height & ~1)
    func mean(_ plane: UnsafeMutablePointer<UInt8>, _ stride: Int, _ x: Int, _ y: Int, _ width: Int, _ height: Int) -> Double {
        var sum = 0
        for row in y..<(y + height) {
            for column in x..<(x + width) { sum += Int(plane[row * stride + column]) }
        }
        return Double(sum) / Double(width * height)
    }
    return (
        mean(frame.planeY, frame.strideY, area.x, area.y, area.width, area.height),
        mean(frame.planeU, frame.strideUV, area.x / 2, area.y / 2, area.width / 2, area.height / 2),
        mean(frame.planeV, frame.strideUV, area.x / 2, area.y / 2, area.width / 2, area.height / 2)
    )
}

/// A deterministic pseudo-random byte source (64-bit LCG), so noisy inputs are the same every run.
struct TestNoise {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt8 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(truncatingIfNeeded: state >> 56)
    }

    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in next() } }

    /// Fills every plane with noise of `amplitude` levels around mid-grey (256: full range).
    mutating func fill(_ frame: I420Frame, amplitude: Int = 256) {
        let base = 128 - amplitude / 2
        func sample() -> UInt8 { UInt8(base + Int(next()) % amplitude) }
        for index in 0..<(frame.strideY * frame.height) { frame.planeY[index] = sample() }
        for index in 0..<(frame.strideUV * frame.chromaHeight) {
            frame.planeU[index] = sample()
            frame.planeV[index] = sample()
        }
    }
}
