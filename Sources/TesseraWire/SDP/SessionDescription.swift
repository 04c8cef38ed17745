/// An SDP session description (RFC 8866 §5) as used by JSEP (RFC 8829) offers and answers:
/// session-level lines, then media sections. Parsing accepts CRLF or LF line ends;
/// `serialized()` writes CRLF. Errors name the 1-based line number.
public struct SessionDescription: Sendable, Hashable {
    /// Largest body accepted, in bytes.
    public static let maxBodyBytes = 64 * 1024
    /// Longest line accepted, in bytes (without the line end).
    public static let maxLineBytes = 4 * 1024
    /// Most media sections accepted.
    public static let maxMediaSections = 64

    /// `v=`, always 0.
    public var version: UInt8 = 0
    public var origin: SDPOrigin
    /// `s=`; JSEP writes `-`.
    public var sessionName: String
    public var information: String?
    public var uri: String?
    public var emails: [String] = []
    public var phones: [String] = []
    public var connection: SDPConnection?
    public var bandwidths: [SDPBandwidth] = []
    public var timings: [SDPTiming]
    /// `z=` as written.
    public var timeZones: String?
    public var encryptionKey: String?
    public var attributes: [SDPAttribute]
    public var media: [MediaDescription]

    public init(origin: SDPOrigin, sessionName: String = "-", timings: [SDPTiming] = [SDPTiming()],
                attributes: [SDPAttribute] = [], media: [MediaDescription] = []) {
        self.origin = origin
        self.sessionName = sessionName
        self.timings = timings
        self.attributes = attributes
        self.media = media
    }

    /// Parses UTF-8 bytes (an HTTP body).
    public init(parsing bytes: [UInt8]) throws(WireError) {
        guard bytes.count <= Self.maxBodyBytes else { throw WireError(.tooLarge, "SDP body larger than 64 KiB") }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw WireError(.malformed, "SDP: invalid UTF-8") }
        try self.init(parsing: text)
    }

    public init(parsing text: String) throws(WireError) {
        guard text.utf8.count <= Self.maxBodyBytes else { throw WireError(.tooLarge, "SDP body larger than 64 KiB") }
        var parser = SDPParser()
        var lineNumber = 0
        for rawLine in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.utf8.last == UInt8(ascii: "\r") { line = Substring(line.utf8.dropLast()) }
            if line.isEmpty { continue }
            do throws(WireError) {
                guard line.utf8.count <= Self.maxLineBytes else { throw WireError(.tooLarge, "longer than 4096 bytes") }
                try parser.consume(line)
            } catch {
                throw WireError(error.kind, "SDP line \(lineNumber): \(error.context)")
            }
        }
        do throws(WireError) {
            self = try parser.finish()
        } catch {
            throw WireError(error.kind, "SDP line \(lineNumber): \(error.context)")
        }
    }

    /// The description as text with CRLF line ends (RFC 8866 §5), fields in the order of §5.
    public func serialized() -> String {
        var lines: [String] = ["v=\(version)", "o=\(origin.value)", "s=\(sessionName)"]
        if let information { lines.append("i=\(information)") }
        if let uri { lines.append("u=\(uri)") }
        lines += emails.map { "e=\($0)" }
        lines += phones.map { "p=\($0)" }
        if let connection { lines.append("c=\(connection.value)") }
        lines += bandwidths.map { "b=\($0.text)" }
        for timing in timings {
            lines.append("t=\(timing.start) \(timing.stop)")
            lines += timing.repeats.map { "r=\($0)" }
        }
        if let timeZones { lines.append("z=\(timeZones)") }
        if let encryptionKey { lines.append("k=\(encryptionKey)") }
        lines += attributes.map { "a=\($0.text)" }
        for section in media {
            lines.append("m=\(section.mediaLine)")
            if let information = section.information { lines.append("i=\(information)") }
            if let connection = section.connection { lines.append("c=\(connection.value)") }
            lines += section.bandwidths.map { "b=\($0.text)" }
            if let key = section.encryptionKey { lines.append("k=\(key)") }
            lines += section.attributes.map { "a=\($0.text)" }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    // MARK: Session-level accessors

    public var groups: [SDPGroup] {
        attributes.compactMap { if case .group(let value) = $0 { value } else { nil } }
    }

    /// The first `a=group:BUNDLE` (RFC 8843 §7).
    public var bundleGroup: SDPGroup? { groups.first(where: \.isBundle) }

    public var isICELite: Bool { attributes.contains(.iceLite) }

    /// The section whose `a=mid` is `mid`.
    public func media(withMID mid: String) -> MediaDescription? {
        media.first { $0.mid == mid }
    }

    /// ICE ufrag and pwd of a section, falling back to session-level lines (RFC 8839 §5.4).
    public func iceCredentials(for section: MediaDescription) -> (ufrag: String, pwd: String)? {
        guard let ufrag = section.iceUfrag ?? sessionValue({ if case .iceUfrag(let v) = $0 { v } else { nil } }),
              let pwd = section.icePwd ?? sessionValue({ if case .icePwd(let v) = $0 { v } else { nil } }) else { return nil }
        return (ufrag, pwd)
    }

    /// The DTLS fingerprint of a section, falling back to the session level (RFC 8122 §5).
    public func fingerprint(for section: MediaDescription) -> SDPFingerprint? {
        section.fingerprint ?? sessionValue { if case .fingerprint(let v) = $0 { v } else { nil } }
    }

    /// The DTLS setup role of a section, falling back to the session level (RFC 4145 §4).
    public func setup(for section: MediaDescription) -> SDPSetupRole? {
        section.setup ?? sessionValue { if case .setup(let v) = $0 { v } else { nil } }
    }

    /// The ICE options of a section, falling back to the session level (RFC 8839 §5.6).
    public func iceOptions(for section: MediaDescription) -> [String] {
        let own = section.iceOptions
        return own.isEmpty ? sessionValue({ if case .iceOptions(let v) = $0 { v } else { nil } }) ?? [] : own
    }

    private func sessionValue<T>(_ extract: (SDPAttribute) -> T?) -> T? {
        for attribute in attributes { if let value = extract(attribute) { return value } }
        return nil
    }
}
