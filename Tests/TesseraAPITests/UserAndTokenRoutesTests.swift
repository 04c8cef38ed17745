import Foundation
import Testing
@testable import TesseraAPI
import TesseraStore

@Suite struct UserAndTokenRoutesTests {
    @Test func usersAreCreatedListedAndDeleted() async throws {
        let server = try await TestServer.make()
        try await server.run { client in
            let alice = try await client.call(.post, "/v1/users", body: #"{"name": "alice", "displayName": "Alice"}"#)
            #expect(alice.status == .created)
            #expect(alice.keys() == ["id", "name", "displayName", "createdAt"].sorted())
            let bob = try await client.call(.post, "/v1/users", body: #"{"name": "bob"}"#)
            #expect(bob.json?["displayName"] == "bob")
            let duplicate = try await client.call(.post, "/v1/users", body: #"{"name": "alice"}"#)
            #expect(duplicate.status == .conflict)
            #expect(duplicate.errorCode == "conflict")
            let id = try #require(alice.json?["id"]?.string)
            #expect(try await client.call(.get, "/v1/users/\(id)").json == alice.json)
            #expect(try await client.call(.get, "/v1/users").json?["users"] == .array([alice.json!, bob.json!]))
            #expect(try await client.call(.delete, "/v1/users/\(id)").status == .noContent)
            #expect(try await client.call(.get, "/v1/users/\(id)").status == .notFound)
        }
    }

    @Test func tokensCarryTheDocumentedClaimsAndVerify() async throws {
        let server = try await TestServer.make()
        let tokens = server.context.tokens
        try await server.run { client in
            let room = try #require(try await client.call(.post, "/v1/rooms", body: #"{"name": "r"}"#).json?["id"]?.string)
            let user = try #require(
                try await client.call(.post, "/v1/users", body: #"{"name": "alice", "displayName": "Alice"}"#).json?["id"]?.string)
            let minted = try await client.call(.post, "/v1/rooms/\(room)/tokens", body: #"{"userId": "\#(user)"}"#)
            #expect(minted.status == .created)
            #expect(minted.keys() == ["token", "expiresAt"].sorted())
            let claims = try await tokens.verify(try #require(minted.json?["token"]?.string), roomId: room)
            #expect(claims.sub.value == user)
            #expect(claims.name == "Alice")
            #expect(claims.role == .publisher)
            #expect(abs(claims.exp.value.timeIntervalSinceNow - 3600) < 60)

            let guest = try await client.call(
                .post, "/v1/rooms/\(room)/tokens", body: #"{"displayName": "Guest", "role": "viewer", "ttlSeconds": 120}"#)
            let guestClaims = try await tokens.verify(try #require(guest.json?["token"]?.string), roomId: room)
            #expect(guestClaims.sub.value.hasPrefix("guest:"))
            #expect(guestClaims.role == .viewer)

            for body in [#"{}"#, #"{"userId": "nobody"}"#, #"{"displayName": "G", "ttlSeconds": 10}"#, #"{"displayName": "G", "role": "admin"}"#] {
                #expect(try await client.call(.post, "/v1/rooms/\(room)/tokens", body: body).status == .unprocessableContent)
            }
            #expect(try await client.call(.post, "/v1/rooms/nope/tokens", body: #"{"displayName": "G"}"#).status == .notFound)
        }
    }
}

@Suite struct RoomTokenVerifierTests {
    final class Clock: @unchecked Sendable {
        var now = Date(timeIntervalSince1970: 1_800_000_000)
    }

    @Test func validTokenVerifies() async throws {
        let tokens = try await RoomTokens(secret: "s3cret-s3cret-s3cret-s3cret-s3cret")
        let minted = try await tokens.mint(subject: "u1", name: "U", roomId: "room-a", role: .publisher, ttlSeconds: 60)
        let claims = try await tokens.verify(minted.token, roomId: "room-a")
        #expect(claims.room == "room-a")
        #expect(claims.sub.value == "u1")
    }

    @Test func tamperedTokenIsRejected() async throws {
        let tokens = try await RoomTokens(secret: "s3cret-s3cret-s3cret-s3cret-s3cret")
        let minted = try await tokens.mint(subject: "u1", name: "U", roomId: "room-a", role: .viewer, ttlSeconds: 60)
        var parts = minted.token.split(separator: ".").map(String.init)
        // Promote the viewer to publisher in the payload, keep the signature.
        let payload = try #require(Data(base64URL: parts[1]))
        let forged = String(decoding: payload, as: UTF8.self).replacingOccurrences(of: "viewer", with: "publisher")
        parts[1] = Data(forged.utf8).base64URLEncoded()
        await #expect(throws: TokenError(kind: .invalid, description: "the room token is not valid")) {
            try await tokens.verify(parts.joined(separator: "."), roomId: "room-a")
        }
        let otherSecret = try await RoomTokens(secret: "other-other-other-other-other-other")
        await #expect(throws: TokenError.self) { try await otherSecret.verify(minted.token, roomId: "room-a") }
        await #expect(throws: TokenError.self) { try await tokens.verify("not.a.jwt", roomId: "room-a") }
    }

    @Test func expiredTokenIsRejected() async throws {
        let clock = Clock()
        let tokens = try await RoomTokens(secret: "s3cret-s3cret-s3cret-s3cret-s3cret", now: { clock.now })
        let minted = try await tokens.mint(subject: "u1", name: "U", roomId: "room-a", role: .publisher, ttlSeconds: 60)
        _ = try await tokens.verify(minted.token, roomId: "room-a")
        clock.now += 61
        let error = await #expect(throws: TokenError.self) { try await tokens.verify(minted.token, roomId: "room-a") }
        #expect(error?.kind == .expired)
    }

    @Test func otherRoomTokenIsRejected() async throws {
        let tokens = try await RoomTokens(secret: "s3cret-s3cret-s3cret-s3cret-s3cret")
        let minted = try await tokens.mint(subject: "u1", name: "U", roomId: "room-a", role: .publisher, ttlSeconds: 60)
        let error = await #expect(throws: TokenError.self) { try await tokens.verify(minted.token, roomId: "room-b") }
        #expect(error?.kind == .wrongRoom)
    }
}

extension Data {
    init?(base64URL text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        self.init(base64Encoded: base64)
    }

    func base64URLEncoded() -> String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

@Suite struct RoomTokenSecretTests {
    @Test func shortSecretIsRefused() async {
        await #expect(throws: TokenError.self) { try await RoomTokens(secret: "too-short") }
    }
}
