public import Foundation
public import JWTKit
public import TesseraStore

/// The claims of a room token (API.md, Auth).
public struct RoomTokenClaims: JWTPayload, Equatable {
    /// The user id (a registered user's id, or `guest:<random>` for a display name only).
    public var sub: SubjectClaim
    public var name: String
    public var room: String
    public var role: ParticipantRole
    public var exp: ExpirationClaim

    /// Expiry is checked by `RoomTokens.verify` against its injected clock, not here.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// Why a room token was refused; `wrongRoom` is a 403, the others 401.
public struct TokenError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable { case invalid, expired, wrongRoom }
    public let kind: Kind
    public let description: String
}

/// Mints and verifies room tokens: JWT HS256 signed with the secret kept in the data dir.
public final class RoomTokens: Sendable {
    private let keys: JWTKeyCollection
    private let now: @Sendable () -> Date

    /// HS256 needs a key at least as long as its 32-byte output (RFC 7518 §3.2).
    public static let minimumSecretBytes = 32

    public init(secret: String, now: @escaping @Sendable () -> Date = { Date() }) async throws(TokenError) {
        guard secret.utf8.count >= Self.minimumSecretBytes else {
            throw TokenError(kind: .invalid, description: "the token secret must be at least \(Self.minimumSecretBytes) bytes")
        }
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.now = now
    }

    public func mint(
        subject: String, name: String, roomId: String, role: ParticipantRole, ttlSeconds: Int
    ) async throws -> (token: String, expiresAt: Date) {
        let expires = Date(timeIntervalSince1970: (now().timeIntervalSince1970 + Double(ttlSeconds)).rounded(.down))
        let claims = RoomTokenClaims(
            sub: SubjectClaim(value: subject), name: name, room: roomId, role: role, exp: ExpirationClaim(value: expires))
        return (try await keys.sign(claims), expires)
    }

    /// Verifies signature, expiry and room. Tampered or malformed: `.invalid`; past `exp`:
    /// `.expired`; signed for another room: `.wrongRoom`.
    public func verify(_ token: String, roomId: String) async throws(TokenError) -> RoomTokenClaims {
        let claims: RoomTokenClaims
        do {
            claims = try await keys.verify(token, as: RoomTokenClaims.self)
        } catch {
            throw TokenError(kind: .invalid, description: "the room token is not valid")
        }
        guard claims.exp.value > now() else {
            throw TokenError(kind: .expired, description: "the room token expired at \(Timestamp.string(claims.exp.value))")
        }
        guard claims.room == roomId else {
            throw TokenError(kind: .wrongRoom, description: "the room token is for another room")
        }
        return claims
    }
}
