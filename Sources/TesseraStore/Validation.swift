/// The limits every write is checked against, shared by the REST API and the CLI.
public enum Limits {
    public static let nameLength = 1...100
    public static let userNameLength = 1...64
    public static let maxParticipants = 1...64
    public static let videoWidth = 160...1920
    public static let videoHeight = 90...1080
    public static let videoFPS = 1...60
    public static let videoBitrateKbps = 100...20_000
    public static let tokenTTLSeconds = 60...2_592_000
}

extension Room {
    /// Throws the first field that breaks `Limits`.
    public func validate() throws(StoreError) {
        try Validate.text(name, field: "name", length: Limits.nameLength)
        try Validate.range(maxParticipants, Limits.maxParticipants, field: "maxParticipants")
        try Validate.range(video.width, Limits.videoWidth, field: "video.width")
        try Validate.range(video.height, Limits.videoHeight, field: "video.height")
        try Validate.even(video.width, field: "video.width")
        try Validate.even(video.height, field: "video.height")
        try Validate.range(video.fps, Limits.videoFPS, field: "video.fps")
        try Validate.range(video.bitrateKbps, Limits.videoBitrateKbps, field: "video.bitrateKbps")
    }
}

extension User {
    public func validate() throws(StoreError) {
        try Validate.text(name, field: "name", length: Limits.userNameLength)
        guard name.unicodeScalars.allSatisfy({ $0.isASCII && (Validate.nameCharacters.contains($0)) }) else {
            throw .invalid("name", "name may hold only letters, digits, '.', '_' and '-'")
        }
        try Validate.text(displayName, field: "displayName", length: Limits.nameLength)
    }
}

/// Field checks with messages that say what is allowed.
public enum Validate {
    static let nameCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-".unicodeScalars)

    public static func text(_ value: String, field: String, length: ClosedRange<Int>) throws(StoreError) {
        guard !value.allSatisfy(\.isWhitespace) else { throw .invalid(field, "\(field) must not be empty") }
        // Counted in Unicode scalars, as SQLite's length() counts them in the CHECK constraints.
        guard length.contains(value.unicodeScalars.count) else {
            throw .invalid(field, "\(field) must be \(length.lowerBound) to \(length.upperBound) characters long")
        }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalid(field, "\(field) must not contain control characters")
        }
    }

    public static func range(_ value: Int, _ range: ClosedRange<Int>, field: String) throws(StoreError) {
        guard range.contains(value) else {
            throw .invalid(field, "\(field) must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
    }

    public static func even(_ value: Int, field: String) throws(StoreError) {
        guard value % 2 == 0 else { throw .invalid(field, "\(field) must be even (I420 video), got \(value)") }
    }
}
