/// The line-by-line state of `SessionDescription(parsing:)`: RFC 8866 §5 order, with
/// `v=` first and session-only lines refused once the first `m=` has been seen.
struct SDPParser {
    private var version: UInt8?
    private var origin: SDPOrigin?
    private var sessionName: String?
    private var information: String?
    private var uri: String?
    private var emails: [String] = []
    private var phones: [String] = []
    private var connection: SDPConnection?
    private var bandwidths: [SDPBandwidth] = []
    private var timings: [SDPTiming] = []
    private var timeZones: String?
    private var encryptionKey: String?
    private var attributes: [SDPAttribute] = []
    private var media: [MediaDescription] = []

    /// Consumes one line without its line end.
    mutating func consume(_ line: Substring) throws(WireError) {
        let utf8 = line.utf8
        guard utf8.count >= 2, let letter = utf8.first, letter >= UInt8(ascii: "a"), letter <= UInt8(ascii: "z"),
              utf8[utf8.index(after: utf8.startIndex)] == UInt8(ascii: "=") else {
            throw WireError(.malformed, "expected '<letter>=<value>'")
        }
        let type = Character(Unicode.Scalar(letter))
        let value = Substring(utf8.dropFirst(2))
        guard version != nil || type == "v" else { throw WireError(.malformed, "the first line must be v=0") }

        if !media.isEmpty {
            try consumeMediaLine(type, value)
            return
        }
        switch type {
        case "v":
            guard version == nil else { throw WireError(.malformed, "duplicate v=") }
            guard value == "0" else { throw WireError(.unsupported, "v=\(value.prefix(8)): only version 0") }
            version = 0
        case "o":
            guard origin == nil else { throw WireError(.malformed, "duplicate o=") }
            origin = try SDPOrigin(parsing: value)
        case "s":
            guard sessionName == nil else { throw WireError(.malformed, "duplicate s=") }
            sessionName = String(value)
        case "i": information = String(value)
        case "u": uri = String(value)
        case "e": emails.append(String(value))
        case "p": phones.append(String(value))
        case "c": connection = try SDPConnection(parsing: value)
        case "b": bandwidths.append(try SDPBandwidth(parsing: value))
        case "t": timings.append(try SDPTiming(parsing: value))
        case "r":
            guard !timings.isEmpty else { throw WireError(.malformed, "r= before t=") }
            timings[timings.count - 1].repeats.append(String(value))
        case "z": timeZones = String(value)
        case "k": encryptionKey = String(value)
        case "a": attributes.append(try SDPAttribute(parsing: value))
        case "m": try startMedia(value)
        default: throw WireError(.malformed, "unknown line type '\(type)='")
        }
    }

    private mutating func consumeMediaLine(_ type: Character, _ value: Substring) throws(WireError) {
        let index = media.count - 1
        switch type {
        case "m": try startMedia(value)
        case "i": media[index].information = String(value)
        case "c": media[index].connection = try SDPConnection(parsing: value)
        case "b": media[index].bandwidths.append(try SDPBandwidth(parsing: value))
        case "k": media[index].encryptionKey = String(value)
        case "a": media[index].attributes.append(try SDPAttribute(parsing: value))
        default: throw WireError(.malformed, "'\(type)=' is not allowed in a media section")
        }
    }

    private mutating func startMedia(_ value: Substring) throws(WireError) {
        guard media.count < SessionDescription.maxMediaSections else {
            throw WireError(.tooLarge, "more than \(SessionDescription.maxMediaSections) media sections")
        }
        media.append(try MediaDescription(parsingMediaLine: value))
    }

    func finish() throws(WireError) -> SessionDescription {
        guard version != nil else { throw WireError(.malformed, "empty description") }
        guard let origin else { throw WireError(.malformed, "missing o=") }
        guard let sessionName else { throw WireError(.malformed, "missing s=") }
        guard !timings.isEmpty else { throw WireError(.malformed, "missing t=") }
        var description = SessionDescription(origin: origin, sessionName: sessionName, timings: timings,
                                             attributes: attributes, media: media)
        description.information = information
        description.uri = uri
        description.emails = emails
        description.phones = phones
        description.connection = connection
        description.bandwidths = bandwidths
        description.timeZones = timeZones
        description.encryptionKey = encryptionKey
        return description
    }
}
