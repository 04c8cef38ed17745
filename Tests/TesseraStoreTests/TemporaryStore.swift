import Foundation
@testable import TesseraStore

/// A store on a temporary file database (not in-memory: WAL and pools behave as in production).
struct TemporaryDirectory: ~Copyable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "tessera-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    var databasePath: String { path + "/tessera.sqlite" }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

func migration(_ name: String, _ sql: String) throws -> Migration {
    try Migration(name: name, bytes: Array(sql.utf8))
}
