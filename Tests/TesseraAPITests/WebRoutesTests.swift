import Foundation
import Testing
@testable import TesseraAPI

/// The browser client's static files: served from the package resource with their types,
/// `no-cache` and an ETag; anything else is the API's JSON 404.
@Suite struct WebRoutesTests {
    @Test func pagesScriptsAndStylesAreServedWithTheirTypes() async throws {
        let server = try await TestServer.make()
        try await server.run { client in
            for (path, type) in [
                ("/", "text/html"), ("/admin", "text/html"), ("/web/tessera.css", "text/css"),
                ("/web/common.js", "text/javascript"), ("/web/join.js", "text/javascript"), ("/web/admin.js", "text/javascript"),
            ] {
                let reply = try await client.call(.get, path, key: nil)
                #expect(reply.status == .ok, "\(path)")
                #expect(reply.headers[.contentType]?.hasPrefix(type) == true, "\(path): \(reply.headers[.contentType] ?? "")")
                #expect(reply.headers[.cacheControl] == "no-cache", "\(path)")
                #expect(reply.headers[WebRoutes.contentTypeOptions] == "nosniff", "\(path)")
                #expect(!reply.text.isEmpty, "\(path)")
                let eTag = try #require(reply.headers[.eTag])
                let again = try await client.execute(uri: path, method: .get, headers: [.ifNoneMatch: eTag]) { $0.status }
                #expect(again == .notModified, "\(path) with If-None-Match")
            }
            let page = try await client.call(.get, "/", key: nil)
            #expect(page.headers[WebRoutes.securityPolicy] == WebRoutes.contentSecurityPolicy)
            #expect(page.text.contains(#"src="/web/join.js""#))
            #expect(try await client.call(.get, "/admin", key: nil).text.contains(#"src="/web/admin.js""#))
        }
    }

    @Test func anUnknownFileIsTheJSONNotFound() async throws {
        let server = try await TestServer.make()
        try await server.run { client in
            for path in ["/web/nope.js", "/web/..%2FPackage.swift", "/index.html", "/admin/x", "/web/"] {
                let reply = try await client.call(.get, path, key: nil)
                #expect(reply.status == .notFound, "\(path)")
                #expect(reply.errorCode == "not_found", "\(path)")
            }
        }
    }

    @Test func everyBundledFileHasAKnownType() {
        let assets = WebAssets.bundled
        #expect(Set(assets.files.keys) == ["index.html", "admin.html", "tessera.css", "common.js", "join.js", "admin.js"])
        #expect(WebAssets.eTag(Data("a".utf8)) != WebAssets.eTag(Data("b".utf8)))
    }
}
