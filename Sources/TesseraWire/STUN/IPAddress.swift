/// An IPv4 or IPv6 address as carried by STUN address attributes (RFC 8489 §14.1-14.2),
/// with the usual text forms (dotted quad; RFC 5952 canonical IPv6).
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
    case v4(UInt32)
    /// The 128 bits as two big-endian halves.
    case v6(high: UInt64, low: UInt64)

    /// Parses "192.0.2.1" or an IPv6 text form ("2001:db8::1", "::ffff:192.0.2.1").
    /// Zone IDs ("%eth0") are not accepted.
    public init?<S: StringProtocol>(_ text: S) {
        if let v4 = Self.parseV4(Substring(text).utf8) {
            self = .v4(v4)
        } else if let (high, low) = Self.parseV6(Substring(text)) {
            self = .v6(high: high, low: low)
        } else {
            return nil
        }
    }

    /// The address in network byte order (4 or 16 bytes).
    public var bytes: [UInt8] {
        var writer = ByteWriter(reservingCapacity: 16)
        switch self {
        case .v4(let value): writer.u32(value)
        case .v6(let high, let low): writer.u64(high); writer.u64(low)
        }
        return writer.bytes
    }

    public var description: String {
        switch self {
        case .v4(let value):
            return [24, 16, 8, 0].map { String(UInt8(truncatingIfNeeded: value >> UInt32($0))) }.joined(separator: ".")
        case .v6(let high, let low):
            let groups = (0..<8).map { index -> UInt16 in
                let half = index < 4 ? high : low
                return UInt16(truncatingIfNeeded: half >> UInt64(48 - 16 * (index % 4)))
            }
            return Self.formatV6(groups)
        }
    }

    private static func parseV4(_ text: Substring.UTF8View) -> UInt32? {
        var value: UInt32 = 0
        var octets = 0
        for part in text.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard part.count >= 1, part.count <= 3, part.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            let octet = part.reduce(0) { $0 * 10 + UInt32($1 - 0x30) }
            guard octet <= 255 else { return nil }
            value = value << 8 | octet
            octets += 1
        }
        return octets == 4 ? value : nil
    }

    private static func parseV6(_ text: Substring) -> (UInt64, UInt64)? {
        guard text.utf8.count >= 2, text.utf8.count <= 45 else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        let halves = text.split(separator: "::", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = halves.first, !first.contains("::") else { return nil }
        guard let headGroups = parseGroups(first, allowV4Tail: halves.count == 1) else { return nil }
        head = headGroups
        if halves.count == 2 {
            guard !halves[1].contains("::"), let tailGroups = parseGroups(halves[1], allowV4Tail: true) else { return nil }
            tail = tailGroups
            guard head.count + tail.count <= 7 else { return nil }
        } else {
            guard head.count == 8 else { return nil }
        }
        let groups = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, group) in groups.enumerated() {
            if index < 4 { high = high << 16 | UInt64(group) } else { low = low << 16 | UInt64(group) }
        }
        return (high, low)
    }

    /// Colon-separated hex groups; the last may be a dotted IPv4 address (two groups).
    private static func parseGroups(_ text: Substring, allowV4Tail: Bool) -> [UInt16]? {
        if text.isEmpty { return [] }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (index, part) in parts.enumerated() {
            if index == parts.count - 1, allowV4Tail, part.contains("."), let v4 = parseV4(part.utf8) {
                groups.append(UInt16(v4 >> 16))
                groups.append(UInt16(truncatingIfNeeded: v4))
            } else {
                guard part.utf8.count >= 1, part.utf8.count <= 4, let group = UInt16(part, radix: 16),
                      part.utf8.allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") }) else { return nil }
                groups.append(group)
            }
        }
        return groups.count <= 8 ? groups : nil
    }

    /// RFC 5952 §4: lowercase, no leading zeros, the longest run (≥ 2) of zero groups as "::".
    private static func formatV6(_ groups: [UInt16]) -> String {
        var bestStart = -1
        var bestLength = 1
        var index = 0
        while index < groups.count {
            guard groups[index] == 0 else { index += 1; continue }
            var end = index
            while end < groups.count, groups[end] == 0 { end += 1 }
            if end - index > bestLength { bestStart = index; bestLength = end - index }
            index = end
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestStart >= 0 else { return hex.joined(separator: ":") }
        let head = hex[..<bestStart].joined(separator: ":")
        let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }
}
