import TesseraWire

/// libFuzzer entry point for `VP8PayloadDescriptor` and `VP8Depacketizer`, fed a `FuzzPacketSequence`: see `FuzzChecks.vp8`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzChecks.vp8(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
