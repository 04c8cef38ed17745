import ArgumentParser
import Foundation
import TesseraAPI
import TesseraStore

/// `tessera recordings list|export|delete`, working on the database and data directory
/// directly (API.md, Recordings; the REST routes do the same for a running server).
struct Recordings: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, export and delete recordings.", subcommands: [List.self, Export.self, Delete.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the recordings (newest first) as JSON.")
        @OptionGroup var options: SettingsOptions
        @Option(help: "Only this room's recordings.") var room: String?

        func run() async throws {
            let store = try StoreCommand.run { try Store.open(dataDirectory: try options.resolve().dataDirectory) }
            let recordings = try StoreCommand.run { try store.recordings(roomId: room, limit: 10_000) }
            print(JSONValue.object([("recordings", .array(recordings.map(Representation.recording)))]).serialized)
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a recording's WebM file to PATH (a directory gets <room>-<id>.webm).")
        @OptionGroup var options: SettingsOptions
        @Argument(help: "Recording id.") var id: String
        @Argument(help: "Destination file or directory.") var path: String
        @Flag(help: "Replace an existing file.") var force = false

        func run() async throws {
            let directory = try options.resolve().dataDirectory
            let recording = try StoreCommand.run { try Store.open(dataDirectory: directory).recording(id: id) }
            let source = (directory as NSString).appendingPathComponent(recording.filePath)
            guard FileManager.default.fileExists(atPath: source) else {
                throw ValidationError("the file of recording \(id) is missing (\(source))")
            }
            var isDirectory: ObjCBool = false
            var target = path
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                target = (path as NSString).appendingPathComponent("\(recording.roomId)-\(recording.id).webm")
            }
            if FileManager.default.fileExists(atPath: target) {
                guard force else { throw ValidationError("\(target) exists; pass --force to replace it") }
                try FileManager.default.removeItem(atPath: target)
            }
            try FileManager.default.copyItem(atPath: source, toPath: target)
            let note = recording.status == .recording ? " (still recording: the copy ends where the file was)" : ""
            print("exported recording \(id) (\(recording.status.rawValue)) to \(target)\(note)")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a recording and its file (not while it records).")
        @OptionGroup var options: SettingsOptions
        @Argument(help: "Recording id.") var id: String

        func run() async throws {
            let directory = try options.resolve().dataDirectory
            let store = try StoreCommand.run { try Store.open(dataDirectory: directory) }
            let recording = try StoreCommand.run { try store.recording(id: id) }
            guard recording.status != .recording else {
                throw ValidationError("recording \(id) is still running; stop it first (POST /v1/recordings/\(id)/stop)")
            }
            try Self.remove(recording, store: store, directory: directory)
            print("deleted recording \(id)")
        }

        /// Removes the row, then the file (a missing file is fine).
        static func remove(_ recording: Recording, store: Store, directory: String) throws {
            try StoreCommand.run { try store.deleteRecording(id: recording.id) }
            let file = (directory as NSString).appendingPathComponent(recording.filePath)
            if FileManager.default.fileExists(atPath: file) { try FileManager.default.removeItem(atPath: file) }
        }
    }
}
