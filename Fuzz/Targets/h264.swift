import TesseraWire

/// libFuzzer entry point for `H264Depacketizer`, fed a `FuzzPacketSequence`: see `FuzzChecks.h264`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzChecks.h264(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
