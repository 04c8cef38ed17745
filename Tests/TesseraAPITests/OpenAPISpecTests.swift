import Foundation
import Testing
@testable import TesseraAPI
import TesseraStore

/// docs/openapi.yaml and the router list the same routes (method and path).
@Suite struct OpenAPISpecTests {
    static var specPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/openapi.yaml").path
    }

    /// `METHOD /path` pairs under `paths:` (two-space path keys, four-space method keys).
    static func specRoutes(_ text: String) -> Set<String> {
        let methods: Set<String> = ["get", "post", "put", "patch", "delete", "head", "options"]
        var routes = Set<String>()
        var inPaths = false
        var path: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") && !line.isEmpty {
                inPaths = line.hasPrefix("paths:")
                continue
            }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":"),
                let path, methods.contains(String(line.dropFirst(4).dropLast()))
            {
                routes.insert("\(line.dropFirst(4).dropLast().uppercased()) \(path)")
            }
        }
        return routes
    }

    @Test func routerAndSpecListTheSameRoutes() async throws {
        let text = try String(contentsOfFile: Self.specPath, encoding: .utf8)
        let spec = Self.specRoutes(text)
        let server = try await TestServer.make()
        let router = TesseraRouter.build(server.context)
        let routes = Set(router.routes.map { "\($0.method.rawValue) \($0.path.description.hasPrefix("/") ? "" : "/")\($0.path)" })
        #expect(!routes.isEmpty)
        #expect(routes.subtracting(spec).sorted() == [], "in the router, missing from docs/openapi.yaml")
        #expect(spec.subtracting(routes).sorted() == [], "in docs/openapi.yaml, missing from the router")
        try? FileManager.default.removeItem(atPath: server.directory)
    }

    @Test func specParserFindsPathsAndMethods() {
        let sample = "openapi: 3.1.0\npaths:\n  /a/{id}:\n    parameters: []\n    get:\n      x: 1\n    delete:\n      y: 2\ncomponents:\n  /not:\n    get:\n"
        #expect(Self.specRoutes(sample) == ["GET /a/{id}", "DELETE /a/{id}"])
    }
}
