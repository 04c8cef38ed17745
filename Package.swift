// swift-tools-version:6.1
import PackageDescription

/// Strict settings for every Swift target of ours.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Tessera",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tessera", targets: ["tessera"]),
        .executable(name: "tessera-bench", targets: ["TesseraBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // Tests only: a WebSocket client for the events socket. The server upgrades with
        // NIOWebSocket itself (see EventsHTTPChannel).
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
    ],
    targets: [
        // System-library shims: a module map and pkg-config, nothing else.
        .systemLibrary(name: "COpus", pkgConfig: "opus", providers: [.apt(["libopus-dev"])]),
        .systemLibrary(name: "CVPX", pkgConfig: "vpx", providers: [.apt(["libvpx-dev"])]),
        .systemLibrary(
            name: "CFFmpeg", pkgConfig: "libavformat",
            providers: [.apt(["libavcodec-dev", "libavformat-dev", "libavutil-dev", "libswscale-dev"])]),
        .systemLibrary(name: "CSRTP", pkgConfig: "libsrtp2", providers: [.apt(["libsrtp2-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),

        .target(
            name: "TesseraWire",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        .target(
            name: "TesseraTransport",
            dependencies: [
                "TesseraWire", "CSRTP", "COpenSSL",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "TesseraMedia",
            dependencies: ["TesseraWire", "COpus", "CVPX", "CFFmpeg"],
            swiftSettings: strict),
        .target(
            name: "TesseraMixer",
            dependencies: ["TesseraMedia", "TesseraTransport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .target(
            name: "TesseraRecording",
            dependencies: ["TesseraMedia", "TesseraWire", "CFFmpeg"],
            swiftSettings: strict),
        .target(
            name: "TesseraStore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict,
            plugins: ["EmbedMigrations"]),
        .target(
            name: "TesseraAPI",
            dependencies: [
                "TesseraStore", "TesseraMixer", "TesseraRecording", "TesseraMedia", "TesseraTransport", "TesseraWire",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The browser client (join and admin pages): static files, served as they are.
            resources: [.copy("Web")],
            swiftSettings: strict),
        .executableTarget(
            name: "tessera",
            dependencies: [
                "TesseraAPI", "TesseraStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        // `make bench` (issue 7): the codec floor and the mixer core in-process. Only this
        // executable links the allocation counter, which interposes malloc.
        .target(name: "CAllocationCounter"),
        .executableTarget(
            name: "TesseraBench",
            dependencies: [
                "TesseraMixer", "TesseraMedia", "TesseraRecording", "TesseraTransport", "TesseraWire", "CAllocationCounter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict),

        // Build tool: embeds Migrations/*.sql into TesseraStore so an installed binary needs no source tree.
        .executableTarget(name: "EmbedMigrationsTool", path: "Sources/EmbedMigrationsTool"),
        .plugin(name: "EmbedMigrations", capability: .buildTool(), dependencies: ["EmbedMigrationsTool"]),

        .testTarget(name: "CShimTests", dependencies: ["COpus", "CVPX", "CFFmpeg", "CSRTP", "COpenSSL", "TesseraTransport"]),
        .testTarget(name: "TesseraWireTests", dependencies: ["TesseraWire"], swiftSettings: strict),
        .testTarget(name: "TesseraMediaTests", dependencies: ["TesseraMedia"], swiftSettings: strict),
        .testTarget(
            name: "TesseraMixerTests", dependencies: ["TesseraMixer", "TesseraMedia", "TesseraTransport"],
            swiftSettings: strict),
        .testTarget(
            name: "TesseraTransportTests",
            dependencies: [
                "TesseraTransport", "TesseraWire", "COpenSSL", "CSRTP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            // Read from the source tree by the tests (#filePath), not a bundle resource.
            exclude: ["Fixtures"],
            swiftSettings: strict),
        .testTarget(
            name: "TesseraRecordingTests", dependencies: ["TesseraRecording", "TesseraMedia"], swiftSettings: strict),
        .testTarget(name: "TesseraStoreTests", dependencies: ["TesseraStore"], swiftSettings: strict),
        .testTarget(name: "TesseraBenchTests", dependencies: ["TesseraBench"], swiftSettings: strict),
        .testTarget(
            name: "TesseraAPITests",
            dependencies: [
                "TesseraAPI", "TesseraStore", "TesseraTransport", "TesseraMixer",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
