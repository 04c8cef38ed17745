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

    @Test func aPictureALittleLargerThanItsTileIsCroppedPixelForPixelNotResampled() throws {
        // Every luma and chroma sample distinct, so any resampling or offset shows.
        let source = I420Frame(width: 640, height: 360)
        for row in 0..<360 {
            for column in 0..<640 { source.planeY[row * source.strideY + column] = UInt8((row * 7 + column * 3) & 0xFF) }
        }
        for row in 0..<180 {
            for column in 0..<320 {
                source.planeU[row * source.strideUV + column] = UInt8((row * 5 + column) & 0xFF)
                source.planeV[row * source.strideUV + column] = UInt8((row + column * 11) & 0xFF)
            }
        }
        let canvas = I420Frame(width: 1280, height: 720)
        canvas.fill(y: 16, u: 128, v: 128)
        // The 2x2 grid's first tile at 1280x720: its 640x360 cell less 2-pixel margins, fitted to 16:9.
        let tile = FrameRect(x: 4, y: 2, width: 632, height: 356)
        let scaler = I420Scaler()
        try scaler.scale(source, into: canvas, rect: tile)
        #expect(scaler.cachedContextCount == 0, "no swscale context: cropped")
        let left = ((640 - tile.width) / 2) & ~1
        let top = ((360 - tile.height) / 2) & ~1
        for row in [0, 1, tile.height / 2, tile.height - 1] {
            for column in [0, 1, tile.width / 2, tile.width - 1] {
                #expect(canvas.planeY[(tile.y + row) * canvas.strideY + tile.x + column] == source.planeY[(top + row) * source.strideY + left + column])
            }
        }
        for row in [0, tile.height / 4, tile.height / 2 - 1] {
            for column in [0, tile.width / 4, tile.width / 2 - 1] {
                let target = (tile.y / 2 + row) * canvas.strideUV + tile.x / 2 + column
                let origin = (top / 2 + row) * source.strideUV + left / 2 + column
                #expect(canvas.planeU[target] == source.planeU[origin] && canvas.planeV[target] == source.planeV[origin])
            }
        }
        // Outside the tile nothing changed.
        let rest = meanColour(of: canvas, in: FrameRect(x: 640, y: 0, width: 640, height: 720))
        #expect(rest.y == 16 && rest.u == 128 && rest.v == 128)
        // Further from the tile's size than `cropPercent`, the picture is scaled.
        try scaler.scale(source, into: canvas, rect: FrameRect(x: 0, y: 0, width: 600, height: 338))
        #expect(scaler.cachedContextCount == 1)
    }

    @Test func rejectsARectangleOutsideTheCanvas() {
        let scaler = I420Scaler()
        let source = I420Frame(width: 64, height: 64)
        let canvas = I420Frame(width: 128, height: 128)
        #expect(throws: MediaError.self) { try scaler.scale(source, into: canvas, rect: FrameRect(x: 100, y: 0, width: 64, height: 64)) }
        #expect(throws: MediaError.self) { try scaler.scale(source, into: canvas, rect: FrameRect(x: 1, y: 0, width: 64, height: 64)) }
    }
}
