import TesseraWire

/// libFuzzer entry point for `RTCPCompoundPacket(parsing:)`: see `FuzzChecks.rtcp`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzChecks.rtcp(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
