/// Small stdlib-only helpers for the SDP text grammar (RFC 8866 §9).
///
/// The grammar is defined on octets, so separators are found in the UTF-8 bytes, not among
/// `Character`s: a space or tab followed by a combining mark is one grapheme cluster but
/// still a separator. Splitting on grapheme clusters would also make a re-serialized
/// description (tokens joined by one space) split differently from the text it came from.
enum SDPText {
    /// SP or HTAB, the separators of the grammar.
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    /// Space-separated tokens; runs of spaces or tabs count as one separator.
    static func tokens(_ text: Substring) -> [Substring] {
        text.utf8.split(whereSeparator: isSpace).map { Substring($0) }
    }

    /// The parts between occurrences of the ASCII `separator`.
    static func split(_ text: Substring, _ separator: Unicode.Scalar, omittingEmpty: Bool) -> [Substring] {
        text.utf8.split(separator: UInt8(ascii: separator), omittingEmptySubsequences: omittingEmpty).map { Substring($0) }
    }

    /// Splits at the first ASCII `separator`: ("a", "b c") for "a:b c"; the second part is nil when absent.
    static func splitFirst(_ text: Substring, _ separator: Unicode.Scalar) -> (Substring, Substring?) {
        guard let index = text.utf8.firstIndex(of: UInt8(ascii: separator)) else { return (text, nil) }
        return (text[..<index], text[text.utf8.index(after: index)...])
    }

    /// Splits at the first run of spaces: ("96", "nack pli") for "96 nack pli".
    static func splitFirstSpace(_ text: Substring) -> (Substring, Substring?) {
        guard let index = text.utf8.firstIndex(where: isSpace) else { return (text, nil) }
        let rest = text.utf8[index...].drop(while: isSpace)
        return (text[..<index], rest.isEmpty ? nil : Substring(rest))
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
        guard !text.isEmpty, !text.utf8.contains(where: isSpace) else {
            throw WireError(.malformed, "\(context): expected a token")
        }
        return String(text)
    }
}

extension SDPText {
    /// `text` without leading and trailing spaces or tabs.
    static func trimmed(_ text: Substring) -> Substring {
        guard let first = text.utf8.firstIndex(where: { !isSpace($0) }),
              let last = text.utf8.lastIndex(where: { !isSpace($0) }) else { return text[text.endIndex...] }
        return text[first..<text.utf8.index(after: last)]
    }
}
