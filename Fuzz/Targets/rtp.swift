import TesseraWire

/// libFuzzer entry point for `RTPPacket(parsing:)` and the RTP header extension elements: see `FuzzChecks.rtp`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzChecks.rtp(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
