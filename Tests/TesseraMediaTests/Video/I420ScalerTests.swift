import Testing
import TesseraMedia

@Suite struct I420ScalerTests {
    @Test func halvesSurviveScalingIntoACanvasCornerAndTheRestIsUntouched() throws {
        let source = I420Frame(width: 640, height: 360)
        source.fill(y: 16, u: 128, v: 128)
        try source.fill(y: 235, u: 128, v: 128, in: FrameRect(x: 0, y: 0, width: 320, height: 360))
        let canvas = I420Frame(width: 640, height: 360)
        canvas.fill(y: 77, u: 44, v: 99)

        let scaler = I420Scaler()
        try scaler.scale(source, into: canvas, rect: FrameRect(x: 0, y: 0, width: 320, height: 180))

        // Away from the seam, where bilinear filtering blends the halves.
        let left = meanColour(of: canvas, in: FrameRect(x: 0, y: 0, width: 150, height: 180))
        let right = meanColour(of: canvas, in: FrameRect(x: 170, y: 0, width: 150, height: 180))
        #expect(abs(left.y - 235) < 2)
        #expect(abs(right.y - 16) < 2)
        #expect(abs(left.u - 128) < 2 && abs(right.v - 128) < 2)
        for rest in [FrameRect(x: 320, y: 0, width: 320, height: 360), FrameRect(x: 0, y: 180, width: 320, height: 180)] {
            let untouched = meanColour(of: canvas, in: rest)
            #expect(untouched.y == 77 && untouched.u == 44 && untouched.v == 99)
        }
    }

    @Test func scalingIntoAnOffsetTileWritesOnlyThatTile() throws {
        let source = I420Frame(width: 320, height: 240)
        source.fill(y: 81, u: 90, v: 240)
        let canvas = I420Frame(width: 640, height: 360)
        canvas.fill(y: 16, u: 128, v: 128)
        let tile = FrameRect(x: 322, y: 182, width: 240, height: 180 - 4)
        let scaler = I420Scaler()
        try scaler.scale(source, into: canvas, rect: tile)
        try scaler.scale(source, into: canvas, rect: tile)
        #expect(scaler.cachedContextCount == 1)
        let inside = meanColour(of: canvas, in: tile)
        #expect(abs(inside.y - 81) < 1 && abs(inside.u - 90) < 1 && abs(inside.v - 240) < 1)
        let leftOfTile = meanColour(of: canvas, in: FrameRect(x: 0, y: 180, width: 322, height: 180))
        #expect(leftOfTile.y == 16 && leftOfTile.u == 128 && leftOfTile.v == 128)
        let rightOfTile = meanColour(of: canvas, in: FrameRect(x: 562, y: 0, width: 78, height: 360))
        #expect(rightOfTile.y == 16 && rightOfTile.u == 128 && rightOfTile.v == 128)
    }

    @Test func rejectsARectangleOutsideTheCanvas() {
        let scaler = I420Scaler()
        let source = I420Frame(width: 64, height: 64)
        let canvas = I420Frame(width: 128, height: 128)
        #expect(throws: MediaError.self) { try scaler.scale(source, into: canvas, rect: FrameRect(x: 100, y: 0, width: 64, height: 64)) }
        #expect(throws: MediaError.self) { try scaler.scale(source, into: canvas, rect: FrameRect(x: 1, y: 0, width: 64, height: 64)) }
    }
}
