import Foundation

/// One `Range: bytes=...` request (RFC 9110 §14.1.2) resolved against a file's size.
/// Several ranges in one header are answered with the whole file (a 200 is always allowed).
enum ByteRange: Equatable {
    /// No usable Range header: send everything (200).
    case whole
    /// Send these bytes (206).
    case part(ClosedRange<Int>)
    /// The range lies outside the file (416).
    case unsatisfiable

    init(header: String?, size: Int) {
        guard let header = header?.trimmingCharacters(in: .whitespaces), header.lowercased().hasPrefix("bytes=") else {
            self = .whole
            return
        }
        let spec = header.dropFirst("bytes=".count)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else {
            self = .whole
            return
        }
        let first = spec[..<dash].trimmingCharacters(in: .whitespaces)
        let last = spec[spec.index(after: dash)...].trimmingCharacters(in: .whitespaces)
        switch (Int(first), Int(last), first.isEmpty, last.isEmpty) {
        case (let start?, nil, false, true):
            // bytes=500-: from 500 to the end.
            self = start < size && start >= 0 ? .part(start...(size - 1)) : .unsatisfiable
        case (nil, let suffix?, true, false):
            // bytes=-500: the last 500 bytes.
            self = suffix > 0 && size > 0 ? .part(max(0, size - suffix)...(size - 1)) : .unsatisfiable
        case (let start?, let end?, false, false):
            guard start >= 0, start <= end else {
                self = .whole  // syntactically invalid: ignored (RFC 9110 §14.2)
                return
            }
            self = start < size ? .part(start...min(end, size - 1)) : .unsatisfiable
        default:
            self = .whole
        }
    }
}
