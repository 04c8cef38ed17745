/// Small stdlib-only helpers for the SDP text grammar (RFC 8866 §9).
enum SDPText {
    /// Space-separated tokens; runs of spaces or tabs count as one separator.
    static func tokens(_ text: Substring) -> [Substring] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" })
    }

    /// Splits at the first `separator`: ("a", "b c") for "a:b c"; the second part is nil when absent.
    static func splitFirst(_ text: Substring, _ separator: Character) -> (Substring, Substring?) {
        guard let index = text.firstIndex(of: separator) else { return (text, nil) }
        return (text[..<index], text[text.index(after: index)...])
    }

    /// Splits at the first run of spaces: ("96", "nack pli") for "96 nack pli".
    static func splitFirstSpace(_ text: Substring) -> (Substring, Substring?) {
        guard let index = text.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return (text, nil) }
        let rest = text[index...].drop(while: { $0 == " " || $0 == "\t" })
        return (text[..<index], rest.isEmpty ? nil : rest)
    }

    /// A decimal number with digits only (no sign, no spaces), in range for `T`.
    static func number<T: FixedWidthInteger>(_ text: Substring, _ context: String) throws(WireError) -> T {
        guard !text.isEmpty, text.utf8.count <= 20, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let value = T(text) else {
            throw WireError(.malformed, "\(context): '\(text.prefix(32))' is not a number in range")
        }
        return value
    }

    /// A non-empty token with no whitespace, as RFC 8866 `token`/`non-ws-string`.
    static func token(_ text: Substring, _ context: String) throws(WireError) -> String {
        guard !text.isEmpty, !text.contains(where: { $0 == " " || $0 == "\t" }) else {
            throw WireError(.malformed, "\(context): expected a token")
        }
        return String(text)
    }
}

extension SDPText {
    /// `text` without leading and trailing spaces or tabs.
    static func trimmed(_ text: Substring) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isSpace($0) }),
              let last = text.lastIndex(where: { !isSpace($0) }) else { return text[text.endIndex...] }
        return text[first...last]
    }
}
