import CFFmpeg

/// Scales I420 frames with libswscale (bilinear) into a rectangle of a larger frame,
/// for the grid compositor. The caller picks the rectangle (and so preserves the aspect).
///
/// A picture at most `cropPercent` larger than the rectangle in each dimension is not
/// scaled but cropped to it, centred: a 640x360 camera in a 2x2 grid at 1280x720 fills a
/// 632x356 tile (its cell less the margins), and resampling it by 1% cost about 0.5 ms
/// per tile (11% of a 4-person room's CPU, measured with perf) for no visible gain.
///
/// One libswscale context is kept per (source size, destination size) pair, up to
/// `maximumContexts`; a layout change that needs more drops them all and starts over.
public final class I420Scaler {
    private struct Sizes: Hashable {
        let sourceWidth: Int, sourceHeight: Int, width: Int, height: Int
    }

    public let maximumContexts: Int
    private var contexts: [Sizes: OpaquePointer] = [:]
    // Plane pointer and stride arrays for sws_scale, allocated once rather than per call.
    private let sourcePlanes = UnsafeMutablePointer<UnsafePointer<UInt8>?>.allocate(capacity: 4)
    private let destinationPlanes = UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>.allocate(capacity: 4)
    private let sourceStrides = UnsafeMutablePointer<Int32>.allocate(capacity: 4)
    private let destinationStrides = UnsafeMutablePointer<Int32>.allocate(capacity: 4)

    public init(maximumContexts: Int = 16) {
        self.maximumContexts = max(1, maximumContexts)
        sourcePlanes.initialize(repeating: nil, count: 4)
        destinationPlanes.initialize(repeating: nil, count: 4)
        sourceStrides.initialize(repeating: 0, count: 4)
        destinationStrides.initialize(repeating: 0, count: 4)
    }

    deinit {
        for context in contexts.values { sws_freeContext(context) }
        sourcePlanes.deallocate()
        destinationPlanes.deallocate()
        sourceStrides.deallocate()
        destinationStrides.deallocate()
    }

    /// Contexts cached now.
    public var cachedContextCount: Int { contexts.count }

    /// How much larger than its rectangle a picture may be and still be cropped, not scaled.
    public static let cropPercent = 3

    /// Scales all of `source` into `rect` of `destination` (or crops it, see `cropPercent`);
    /// pixels outside `rect` are not touched. `rect` must have an even origin and size and
    /// lie inside `destination`.
    public func scale(_ source: I420Frame, into destination: I420Frame, rect: FrameRect) throws(MediaError) {
        guard source !== destination else { throw MediaError(.badInput, "cannot scale a frame into itself") }
        try destination.checkDestination(rect)
        let excessWidth = source.width - rect.width
        let excessHeight = source.height - rect.height
        if excessWidth >= 0, excessHeight >= 0, excessWidth * 100 <= source.width * Self.cropPercent,
            excessHeight * 100 <= source.height * Self.cropPercent
        {
            source.copy(centreOf: rect.width, by: rect.height, into: destination, at: rect)
            return
        }
        let context = try context(for: Sizes(sourceWidth: source.width, sourceHeight: source.height, width: rect.width, height: rect.height))
        sourcePlanes[0] = UnsafePointer(source.planeY)
        sourcePlanes[1] = UnsafePointer(source.planeU)
        sourcePlanes[2] = UnsafePointer(source.planeV)
        sourceStrides[0] = Int32(source.strideY)
        sourceStrides[1] = Int32(source.strideUV)
        sourceStrides[2] = Int32(source.strideUV)
        destinationPlanes[0] = destination.planeY + rect.y * destination.strideY + rect.x
        destinationPlanes[1] = destination.planeU + rect.y / 2 * destination.strideUV + rect.x / 2
        destinationPlanes[2] = destination.planeV + rect.y / 2 * destination.strideUV + rect.x / 2
        destinationStrides[0] = Int32(destination.strideY)
        destinationStrides[1] = Int32(destination.strideUV)
        destinationStrides[2] = Int32(destination.strideUV)
        try check(sws_scale(context, sourcePlanes, sourceStrides, 0, Int32(source.height), destinationPlanes, destinationStrides), rows: rect.height)
    }

    private func context(for sizes: Sizes) throws(MediaError) -> OpaquePointer {
        if let context = contexts[sizes] { return context }
        if contexts.count >= maximumContexts {
            for context in contexts.values { sws_freeContext(context) }
            contexts.removeAll(keepingCapacity: true)
        }
        guard let context = sws_getContext(
            Int32(sizes.sourceWidth), Int32(sizes.sourceHeight), AV_PIX_FMT_YUV420P,
            Int32(sizes.width), Int32(sizes.height), AV_PIX_FMT_YUV420P,
            SWS_BILINEAR, nil, nil, nil)
        else { throw MediaError(.resource, "sws_getContext \(sizes.sourceWidth)x\(sizes.sourceHeight) -> \(sizes.width)x\(sizes.height)") }
        contexts[sizes] = context
        return context
    }

    /// sws_scale returns the number of output rows written, negative on error.
    private func check(_ result: Int32, rows: Int) throws(MediaError) {
        guard result == Int32(rows) else { throw MediaError(.codec(code: result), "sws_scale wrote \(result) of \(rows) rows") }
    }
}
