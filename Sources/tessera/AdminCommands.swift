import ArgumentParser
import Foundation
import TesseraAPI
import TesseraStore

/// `tessera rooms list|create|delete`, working on the database directly.
struct Rooms: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage rooms in the database.", subcommands: [List.self, Create.self, Delete.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the rooms as JSON.")
        @OptionGroup var options: SettingsOptions

        func run() async throws {
            let store = try StoreCommand.run { try Store.open(dataDirectory: try options.resolve().dataDirectory) }
            print(JSONValue.object([("rooms", .array(try store.rooms().map(Representation.room)))]).serialized)
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a room and print it as JSON.")
        @OptionGroup var options: SettingsOptions
        @Option(help: "Room name (1-100 characters).") var name: String
        @Option(help: "grid or speaker.") var layout: String = RoomLayout.grid.rawValue
        @Option(help: "token or open.") var access: String = RoomAccess.token.rawValue
        @Option(help: "1-64.") var maxParticipants: Int = 16
        @Flag(help: "Record every meeting of the room.") var autoRecord = false
        @Option(help: "Mixed video width, 160-1920.") var width: Int = VideoSettings.standard.width
        @Option(help: "Mixed video height, 90-1080.") var height: Int = VideoSettings.standard.height
        @Option(help: "Mixed video frame rate, 1-60.") var fps: Int = VideoSettings.standard.fps
        @Option(help: "Mixed video bitrate in kbps.") var bitrateKbps: Int = VideoSettings.standard.bitrateKbps

        func run() async throws {
            guard let layout = RoomLayout(rawValue: layout) else { throw ValidationError("--layout must be grid or speaker") }
            guard let access = RoomAccess(rawValue: access) else { throw ValidationError("--access must be token or open") }
            let room = Room(
                name: name, layout: layout, access: access, maxParticipants: maxParticipants, autoRecord: autoRecord,
                video: VideoSettings(width: width, height: height, fps: fps, bitrateKbps: bitrateKbps))
            let created = try StoreCommand.run {
                try Store.open(dataDirectory: try options.resolve().dataDirectory).createRoom(room)
            }
            print(Representation.room(created).serialized)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a room (its meetings and recordings are kept unless --delete-recordings). Live participants of a running server are disconnected only through the REST API.")
        @OptionGroup var options: SettingsOptions
        @Argument(help: "Room id.") var id: String
        @Flag(help: "Also delete the room's recordings and their files.") var deleteRecordings = false

        func run() async throws {
            let directory = try options.resolve().dataDirectory
            let store = try StoreCommand.run { try Store.open(dataDirectory: directory) }
            var removed = 0
            if deleteRecordings {
                let recordings = try StoreCommand.run { try store.recordings(roomId: id, limit: 100_000) }
                if let running = recordings.first(where: { $0.status == .recording }) {
                    throw ValidationError("room \(id) is recording (\(running.id)); stop it first")
                }
                _ = try StoreCommand.run { try store.room(id: id) }
                for recording in recordings { try Recordings.Delete.remove(recording, store: store, directory: directory) }
                removed = recordings.count
            }
            try StoreCommand.run { try store.deleteRoom(id: id) }
            print("deleted room \(id)" + (deleteRecordings ? " and \(removed) recording(s)" : ""))
        }
    }
}

/// `tessera users list|create`, working on the database directly.
struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage users in the database.", subcommands: [List.self, Create.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the users as JSON.")
        @OptionGroup var options: SettingsOptions

        func run() async throws {
            let store = try StoreCommand.run { try Store.open(dataDirectory: try options.resolve().dataDirectory) }
            print(JSONValue.object([("users", .array(try store.users().map(Representation.user)))]).serialized)
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user and print it as JSON.")
        @OptionGroup var options: SettingsOptions
        @Option(help: "Unique login name: letters, digits, '.', '_', '-'.") var name: String
        @Option(help: "Name shown to others (default: the name).") var displayName: String?

        func run() async throws {
            let created = try StoreCommand.run {
                try Store.open(dataDirectory: try options.resolve().dataDirectory)
                    .createUser(User(name: name, displayName: displayName))
            }
            print(Representation.user(created).serialized)
        }
    }
}

/// `tessera version`: the linked C libraries.
struct Version: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the versions of the linked libraries.")

    func run() async throws {
        for (name, version) in TesseraServer.libraryVersions.sorted(by: { $0.key < $1.key }) { print("\(name) \(version)") }
    }
}
