import TesseraWire

/// libFuzzer entry point for `STUNMessage(parsing:)`: see `FuzzChecks.stun`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzChecks.stun(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
