import TesseraWire

/// libFuzzer entry point for `SessionDescription(parsing:)`: see `FuzzChecks.sdp`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzChecks.sdp(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
