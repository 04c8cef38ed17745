@testable import TesseraWire

/// The error `body` throws, nil if it returns. (Closures infer `any Error` without the
/// FullTypedThrows feature, so this takes an untyped closure; a non-`WireError` shows up
/// as `.integrity` and fails the kind checks.)
func wireError(_ body: () throws -> Void) -> WireError? {
    do {
        try body()
        return nil
    } catch let error as WireError {
        return error
    } catch {
        return WireError(.integrity, "unexpected error \(error)")
    }
}

/// Serializes one packet and parses it back.
func roundTrip(_ packet: RTCPPacket) throws -> RTCPPacket? {
    var buffer: [UInt8] = []
    packet.serialize(into: &buffer)
    let compound = try RTCPCompoundPacket(parsing: buffer)
    return compound.packets.count == 1 ? compound.packets[0] : nil
}

/// The serialized bytes of one packet.
func serialized(_ packet: RTCPPacket) -> [UInt8] {
    var buffer: [UInt8] = []
    packet.serialize(into: &buffer)
    return buffer
}

/// True when every proper prefix of `bytes` fails to parse as RTCP (without crashing).
func everyPrefixThrows(_ bytes: [UInt8]) -> Bool {
    for length in 0..<bytes.count where wireError({ _ = try RTCPCompoundPacket(parsing: Array(bytes.prefix(length))) }) == nil {
        return false
    }
    return true
}

/// A compound packet's contents with `.unknown` ranges replaced by their bytes, so
/// re-serialized packets compare equal.
enum ComparablePacket: Equatable {
    case known(RTCPPacket)
    case unknown(UInt8, [UInt8])

    static func list(_ compound: RTCPCompoundPacket) -> [ComparablePacket] {
        compound.packets.map { packet in
            if case .unknown(let type, let range) = packet { return .unknown(type, Array(compound.bytes[range])) }
            return .known(packet)
        }
    }
}
