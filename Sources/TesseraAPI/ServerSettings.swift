import Foundation

/// How `tessera serve` is configured (API.md, Starting the server). Each setting comes
/// from, in order of precedence: the command-line flag, the environment variable, the
/// JSON config file, the default.
public struct ServerSettings: Sendable, Equatable {
    public var dataDirectory = "./data"
    public var httpHost = "0.0.0.0"
    public var httpPort = 8080
    public var mediaPort = 50000
    /// The address put in ICE candidates; nil picks the first non-loopback IPv4.
    public var publicIP: String?
    /// Nil: read or create `DATA_DIR/admin.key`.
    public var adminKey: String?

    public init() {}

    /// One source of settings: flag values, environment values or config-file values,
    /// by setting key.
    public struct Source: Sendable {
        public var values: [Key: String]
        public let origin: String

        public init(values: [Key: String], origin: String) {
            self.values = values
            self.origin = origin
        }
    }

    public enum Key: String, Sendable, CaseIterable {
        case dataDir, httpHost, httpPort, mediaPort, publicIP, adminKey

        /// The environment variable of API.md.
        public var environmentName: String {
            switch self {
            case .dataDir: "TESSERA_DATA_DIR"
            case .httpHost: "TESSERA_HTTP_HOST"
            case .httpPort: "TESSERA_HTTP_PORT"
            case .mediaPort: "TESSERA_MEDIA_PORT"
            case .publicIP: "TESSERA_PUBLIC_IP"
            case .adminKey: "TESSERA_ADMIN_KEY"
            }
        }
    }

    /// Settings from the environment variables that are set and non-empty.
    public static func environmentSource(_ environment: [String: String]) -> Source {
        var values: [Key: String] = [:]
        for key in Key.allCases {
            if let value = environment[key.environmentName], !value.isEmpty { values[key] = value }
        }
        return Source(values: values, origin: "environment")
    }

    /// Settings from a JSON config file: an object whose keys are `Key` raw values
    /// (`dataDir`, `httpHost`, `httpPort`, `mediaPort`, `publicIP`, `adminKey`).
    public static func fileSource(path: String) throws -> Source {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SettingsError("cannot read config file \(path)")
        }
        let parsed: JSONValue
        do {
            parsed = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw SettingsError("config file \(path) is not valid JSON")
        }
        guard case .object(let fields) = parsed else { throw SettingsError("config file \(path) must hold a JSON object") }
        var values: [Key: String] = [:]
        for (name, value) in fields {
            guard let key = Key(rawValue: name) else {
                let known = Key.allCases.map(\.rawValue).joined(separator: ", ")
                throw SettingsError("config file \(path): unknown setting \(name); known: \(known)")
            }
            switch value {
            case .string(let text): values[key] = text
            case .integer(let number): values[key] = String(number)
            default: throw SettingsError("config file \(path): \(name) must be a string or an integer")
            }
        }
        return Source(values: values, origin: "config file \(path)")
    }

    /// Resolves settings from sources in precedence order (first wins), then the defaults.
    public static func resolve(_ sources: [Source]) throws -> ServerSettings {
        var settings = ServerSettings()
        for key in Key.allCases {
            guard let source = sources.first(where: { $0.values[key] != nil }), let value = source.values[key] else { continue }
            switch key {
            case .dataDir: settings.dataDirectory = value
            case .httpHost: settings.httpHost = value
            case .httpPort: settings.httpPort = try port(value, key: key, source: source, allowZero: true)
            case .mediaPort: settings.mediaPort = try port(value, key: key, source: source, allowZero: false)
            case .publicIP:
                guard IPv4.isValid(value) else { throw SettingsError("\(key.rawValue) from \(source.origin) must be an IPv4 address, got \(value)") }
                settings.publicIP = value
            case .adminKey:
                guard value.count >= 16, value.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                    throw SettingsError("adminKey from \(source.origin) must be at least 16 printable characters")
                }
                settings.adminKey = value
            }
        }
        return settings
    }

    private static func port(_ value: String, key: Key, source: Source, allowZero: Bool) throws -> Int {
        guard let port = Int(value), (allowZero ? 0 : 1)...65535 ~= port else {
            throw SettingsError("\(key.rawValue) from \(source.origin) must be a port number \(allowZero ? "0-65535 (0: any free port)" : "1-65535"), got \(value)")
        }
        return port
    }

    /// The candidate address: `publicIP`, else the first non-loopback IPv4, else 127.0.0.1.
    public var candidateAddress: String { publicIP ?? IPv4.firstNonLoopback() ?? "127.0.0.1" }

    /// The address the media socket binds: the candidate address when it belongs to this
    /// host, so replies leave from the address peers sent to (ICE needs symmetric
    /// answers, and a socket on 0.0.0.0 lets the kernel pick another source on a host with
    /// several addresses); 0.0.0.0 when the candidate is a NAT's public address.
    public var mediaBindAddress: String {
        let candidate = candidateAddress
        return IPv4.localAddresses(includeLoopback: true).contains(candidate) ? candidate : "0.0.0.0"
    }

    public var databasePath: String { (dataDirectory as NSString).appendingPathComponent("tessera.sqlite") }
}

/// A setting that cannot be used, with a message that says which and why.
public struct SettingsError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// IPv4 helpers for the candidate address.
enum IPv4 {
    static func isValid(_ text: String) -> Bool {
        var address = in_addr()
        return inet_pton(AF_INET, text, &address) == 1
    }

    /// The first IPv4 address of an interface that is up and not loopback.
    static func firstNonLoopback() -> String? {
        localAddresses(includeLoopback: false).first
    }

    /// IPv4 addresses of the interfaces that are up, in interface order.
    static func localAddresses(includeLoopback: Bool) -> [String] {
        var found: [String] = []
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            let flags = Int32(entry.pointee.ifa_flags)
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == UInt16(AF_INET),
                flags & Int32(IFF_UP) != 0, includeLoopback || flags & Int32(IFF_LOOPBACK) == 0
            else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            guard getnameinfo(address, socklen_t(MemoryLayout<sockaddr_in>.size), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0
            else { continue }
            found.append(String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return found
    }
}
