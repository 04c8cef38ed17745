/// A rectangle in pixel coordinates of a frame's luma plane.
public struct FrameRect: Sendable, Equatable, Hashable {
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

    /// Even origin and size: the rectangle maps exactly onto the half-resolution chroma planes.
    public var isChromaAligned: Bool { x % 2 == 0 && y % 2 == 0 && width % 2 == 0 && height % 2 == 0 }

    func fits(inWidth width: Int, height: Int) -> Bool {
        x >= 0 && y >= 0 && self.width > 0 && self.height > 0 && x + self.width <= width && y + self.height <= height
    }
}

/// A planar YUV 4:2:0 picture (I420) in one contiguous allocation owned by the frame.
///
/// Not Sendable: a frame belongs to the room whose mixer uses it. The plane pointers are
/// valid for the frame's lifetime; rows are `strideY` / `strideUV` bytes apart, padded to 32.
public final class I420Frame {
    public let width: Int
    public let height: Int
    public let chromaWidth: Int
    public let chromaHeight: Int
    public let strideY: Int
    public let strideUV: Int
    public let planeY: UnsafeMutablePointer<UInt8>
    public let planeU: UnsafeMutablePointer<UInt8>
    public let planeV: UnsafeMutablePointer<UInt8>
    private let storage: UnsafeMutableRawPointer

    /// Allocates a frame; its contents are black (Y=16, U=V=128).
    public init(width: Int, height: Int) {
        precondition(width > 0 && height > 0, "I420Frame needs a positive size")
        self.width = width
        self.height = height
        chromaWidth = (width + 1) / 2
        chromaHeight = (height + 1) / 2
        strideY = (width + 31) & ~31
        strideUV = (chromaWidth + 31) & ~31
        let lumaBytes = strideY * height
        let chromaBytes = strideUV * chromaHeight
        storage = UnsafeMutableRawPointer.allocate(byteCount: lumaBytes + 2 * chromaBytes, alignment: 32)
        planeY = storage.bindMemory(to: UInt8.self, capacity: lumaBytes + 2 * chromaBytes)
        planeU = planeY + lumaBytes
        planeV = planeU + chromaBytes
        fill(y: 16, u: 128, v: 128)
    }

    deinit { storage.deallocate() }

    public var bounds: FrameRect { FrameRect(x: 0, y: 0, width: width, height: height) }

    /// Paints the whole frame one colour.
    public func fill(y: UInt8, u: UInt8, v: UInt8) {
        planeY.update(repeating: y, count: strideY * height)
        planeU.update(repeating: u, count: strideUV * chromaHeight)
        planeV.update(repeating: v, count: strideUV * chromaHeight)
    }

    /// Paints a chroma-aligned rectangle one colour (tile backgrounds, placeholders).
    public func fill(y: UInt8, u: UInt8, v: UInt8, in rect: FrameRect) throws(MediaError) {
        try checkDestination(rect)
        for row in rect.y..<(rect.y + rect.height) {
            (planeY + row * strideY + rect.x).update(repeating: y, count: rect.width)
        }
        for row in (rect.y / 2)..<((rect.y + rect.height) / 2) {
            (planeU + row * strideUV + rect.x / 2).update(repeating: u, count: rect.width / 2)
            (planeV + row * strideUV + rect.x / 2).update(repeating: v, count: rect.width / 2)
        }
    }

    /// Copies this whole frame into `destination` with its top-left corner at (`x`, `y`), unscaled.
    public func copy(into destination: I420Frame, x: Int, y: Int) throws(MediaError) {
        guard destination !== self else { throw MediaError(.badInput, "cannot blit a frame into itself") }
        let target = FrameRect(x: x, y: y, width: width, height: height)
        guard x % 2 == 0, y % 2 == 0, target.fits(inWidth: destination.width, height: destination.height) else {
            throw MediaError(.badInput, "\(width)x\(height) at (\(x),\(y)) does not fit an even position in \(destination.width)x\(destination.height)")
        }
        for row in 0..<height {
            (destination.planeY + (y + row) * destination.strideY + x).update(from: planeY + row * strideY, count: width)
        }
        let chromaRows = min(chromaHeight, destination.chromaHeight - y / 2)
        let chromaColumns = min(chromaWidth, destination.chromaWidth - x / 2)
        for row in 0..<chromaRows {
            let offset = (y / 2 + row) * destination.strideUV + x / 2
            (destination.planeU + offset).update(from: planeU + row * strideUV, count: chromaColumns)
            (destination.planeV + offset).update(from: planeV + row * strideUV, count: chromaColumns)
        }
    }

    /// Copies the centred `width`x`height` part of this frame into `rect` of `destination`,
    /// unscaled. The caller checked that `rect` is that size, chroma-aligned and inside
    /// `destination`, and that this frame is at least that size.
    func copy(centreOf width: Int, by height: Int, into destination: I420Frame, at rect: FrameRect) {
        let left = ((self.width - width) / 2) & ~1
        let top = ((self.height - height) / 2) & ~1
        for row in 0..<height {
            (destination.planeY + (rect.y + row) * destination.strideY + rect.x)
                .update(from: planeY + (top + row) * strideY + left, count: width)
        }
        for row in 0..<(height / 2) {
            let target = (rect.y / 2 + row) * destination.strideUV + rect.x / 2
            let source = (top / 2 + row) * strideUV + left / 2
            (destination.planeU + target).update(from: planeU + source, count: width / 2)
            (destination.planeV + target).update(from: planeV + source, count: width / 2)
        }
    }

    func checkDestination(_ rect: FrameRect) throws(MediaError) {
        guard rect.isChromaAligned, rect.fits(inWidth: width, height: height) else {
            throw MediaError(.badInput, "rectangle \(rect) is not an even-aligned part of \(width)x\(height)")
        }
    }
}

/// Recycles I420 frames so the per-frame path (decode, composite) does not allocate.
///
/// Bounded: at most `capacity` idle frames are kept; frames of a size no longer asked for
/// are dropped first when the pool is full (after a resolution change).
public final class I420FramePool {
    public let capacity: Int
    private var idle: [I420Frame] = []

    public init(capacity: Int = 4) {
        precondition(capacity > 0, "an I420FramePool needs room for one frame")
        self.capacity = capacity
        idle.reserveCapacity(capacity)
    }

    /// Idle frames held now.
    public var idleCount: Int { idle.count }

    /// A frame of the size asked for: a recycled one if the pool holds one, else a new one.
    /// Its pixels are whatever the last user left.
    public func take(width: Int, height: Int) -> I420Frame {
        if let index = idle.lastIndex(where: { $0.width == width && $0.height == height }) {
            return idle.remove(at: index)
        }
        return I420Frame(width: width, height: height)
    }

    /// Returns a frame the caller no longer uses; it must not be touched afterwards.
    public func recycle(_ frame: I420Frame) {
        guard !idle.contains(where: { $0 === frame }) else { return }
        if idle.count >= capacity {
            guard let stale = idle.firstIndex(where: { $0.width != frame.width || $0.height != frame.height }) else { return }
            idle.remove(at: stale)
        }
        idle.append(frame)
    }
}
