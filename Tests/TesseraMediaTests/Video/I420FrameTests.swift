import Testing
import TesseraMedia

@Suite struct I420FrameTests {
    @Test func newFrameIsBlackAndPlanesDoNotOverlap() {
        let frame = I420Frame(width: 33, height: 17)
        #expect(frame.chromaWidth == 17 && frame.chromaHeight == 9)
        #expect(frame.strideY >= 33 && frame.strideUV >= 17)
        #expect(frame.planeU - frame.planeY >= frame.strideY * frame.height)
        #expect(frame.planeV - frame.planeU >= frame.strideUV * frame.chromaHeight)
        let mean = meanColour(of: frame)
        #expect(mean.y == 16 && mean.u == 128 && mean.v == 128)
    }

    @Test func fillRectanglePaintsOnlyThatRectangle() throws {
        let frame = I420Frame(width: 64, height: 48)
        frame.fill(y: 10, u: 20, v: 30)
        try frame.fill(y: 200, u: 100, v: 50, in: FrameRect(x: 16, y: 8, width: 32, height: 16))
        let inside = meanColour(of: frame, in: FrameRect(x: 16, y: 8, width: 32, height: 16))
        #expect(inside.y == 200 && inside.u == 100 && inside.v == 50)
        let above = meanColour(of: frame, in: FrameRect(x: 0, y: 0, width: 64, height: 8))
        #expect(above.y == 10 && above.u == 20 && above.v == 30)
        let left = meanColour(of: frame, in: FrameRect(x: 0, y: 8, width: 16, height: 16))
        #expect(left.y == 10 && left.u == 20 && left.v == 30)
    }

    @Test func fillRejectsOddOrOutsideRectangles() {
        let frame = I420Frame(width: 64, height: 48)
        #expect(throws: MediaError.self) { try frame.fill(y: 0, u: 0, v: 0, in: FrameRect(x: 1, y: 0, width: 8, height: 8)) }
        #expect(throws: MediaError.self) { try frame.fill(y: 0, u: 0, v: 0, in: FrameRect(x: 60, y: 0, width: 8, height: 8)) }
    }

    @Test func copyBlitsIntoARectangleOfAnotherFrame() throws {
        let canvas = I420Frame(width: 64, height: 48)
        canvas.fill(y: 1, u: 2, v: 3)
        let tile = I420Frame(width: 16, height: 10)
        tile.fill(y: 81, u: 90, v: 240)
        try tile.copy(into: canvas, x: 32, y: 20)
        let inside = meanColour(of: canvas, in: FrameRect(x: 32, y: 20, width: 16, height: 10))
        #expect(inside.y == 81 && inside.u == 90 && inside.v == 240)
        let rest = meanColour(of: canvas, in: FrameRect(x: 0, y: 0, width: 32, height: 48))
        #expect(rest.y == 1 && rest.u == 2 && rest.v == 3)
        let below = meanColour(of: canvas, in: FrameRect(x: 32, y: 30, width: 16, height: 18))
        #expect(below.y == 1 && below.u == 2 && below.v == 3)
        #expect(throws: MediaError.self) { try tile.copy(into: canvas, x: 56, y: 0) }
    }
}

@Suite struct I420FramePoolTests {
    @Test func recycledFrameIsHandedOutAgain() {
        let pool = I420FramePool(capacity: 2)
        let first = pool.take(width: 320, height: 240)
        let storage = first.planeY
        pool.recycle(first)
        let again = pool.take(width: 320, height: 240)
        #expect(again === first)
        #expect(again.planeY == storage)
        #expect(pool.idleCount == 0)
    }

    @Test func frameOfAnotherSizeIsNew() {
        let pool = I420FramePool(capacity: 2)
        let small = pool.take(width: 320, height: 240)
        pool.recycle(small)
        let large = pool.take(width: 640, height: 360)
        #expect(large !== small)
        #expect(large.width == 640 && large.height == 360)
        #expect(pool.idleCount == 1)
    }

    @Test func poolKeepsAtMostCapacityFrames() {
        let pool = I420FramePool(capacity: 2)
        let frames = (0..<4).map { _ in pool.take(width: 32, height: 32) }
        for frame in frames { pool.recycle(frame) }
        #expect(pool.idleCount == 2)
        pool.recycle(frames[0])  // twice: not held twice
        #expect(pool.idleCount == 2)
    }

    @Test func fullPoolDropsFramesOfAStaleSizeFirst() {
        let pool = I420FramePool(capacity: 2)
        let old = [pool.take(width: 32, height: 32), pool.take(width: 32, height: 32)]
        for frame in old { pool.recycle(frame) }
        let current = I420Frame(width: 64, height: 64)
        pool.recycle(current)
        #expect(pool.idleCount == 2)
        #expect(pool.take(width: 64, height: 64) === current)
    }
}
