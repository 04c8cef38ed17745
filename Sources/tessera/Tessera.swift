import ArgumentParser

/// `tessera`: the MCU conference server and its admin commands (API.md).
@main
struct Tessera: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tessera",
        abstract: "Tessera: an MCU video conference server (WHIP/WHEP, one mixed stream per participant).",
        subcommands: [Serve.self, Migrate.self, Rooms.self, Users.self, Recordings.self, Version.self])
}
