import Foundation
import Testing
@testable import TesseraAPI

@Suite struct ServerSettingsTests {
    @Test func defaultsMatchTheAPIContract() throws {
        let settings = try ServerSettings.resolve([])
        #expect(settings.dataDirectory == "./data")
        #expect(settings.httpHost == "0.0.0.0")
        #expect(settings.httpPort == 8080)
        #expect(settings.mediaPort == 50000)
        #expect(settings.adminKey == nil)
        #expect(settings.databasePath == "./data/tessera.sqlite")
    }

    @Test func flagBeatsEnvironmentBeatsFileBeatsDefault() throws {
        let directory = NSTemporaryDirectory() + "tessera-settings-" + UUID().uuidString + ".json"
        try Data(#"{"httpPort": 9003, "mediaPort": 51003, "dataDir": "/file", "httpHost": "127.0.0.3"}"#.utf8)
            .write(to: URL(fileURLWithPath: directory))
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let flags = ServerSettings.Source(values: [.httpPort: "9001"], origin: "flags")
        let environment = ServerSettings.environmentSource([
            "TESSERA_HTTP_PORT": "9002", "TESSERA_MEDIA_PORT": "51002", "TESSERA_HTTP_HOST": "",
        ])
        let file = try ServerSettings.fileSource(path: directory)
        let settings = try ServerSettings.resolve([flags, environment, file])
        #expect(settings.httpPort == 9001)
        #expect(settings.mediaPort == 51002)
        #expect(settings.dataDirectory == "/file")
        #expect(settings.httpHost == "127.0.0.3")
        #expect(try ServerSettings.resolve([environment, file]).httpPort == 9002)
        #expect(try ServerSettings.resolve([file]).httpPort == 9003)
    }

    @Test(arguments: [
        (ServerSettings.Key.httpPort, "http"), (.mediaPort, "0"), (.mediaPort, "70000"), (.publicIP, "example"),
        (.adminKey, "short"),
    ])
    func badValuesAreRefusedWithTheirOrigin(key: ServerSettings.Key, value: String) {
        let error = #expect(throws: SettingsError.self) {
            try ServerSettings.resolve([ServerSettings.Source(values: [key: value], origin: "environment")])
        }
        #expect(error?.description.contains(key.rawValue) == true)
        #expect(error?.description.contains("environment") == true)
    }

    @Test func configFileWithUnknownKeyOrBadJSONIsRefused() throws {
        let path = NSTemporaryDirectory() + "tessera-settings-" + UUID().uuidString + ".json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(#"{"httpport": 1}"#.utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: SettingsError.self) { try ServerSettings.fileSource(path: path) }
        try Data("{".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: SettingsError.self) { try ServerSettings.fileSource(path: path) }
        #expect(throws: SettingsError.self) { try ServerSettings.fileSource(path: path + ".missing") }
    }

    @Test func secretFileIsCreatedOnceWithMode0600() throws {
        let path = NSTemporaryDirectory() + "tessera-secret-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try SecretFile.readOrCreate(path: path) { "first-secret" }
        let second = try SecretFile.readOrCreate(path: path) { "second-secret" }
        #expect(first.created && first.value == "first-secret")
        #expect(!second.created && second.value == "first-secret")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
