import Foundation
import GRDB

extension Store {
    public func createUser(_ user: User) throws -> User {
        try user.validate()
        return try pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM users WHERE name = ?)", arguments: [user.name]) == true {
                throw StoreError(.conflict, "a user named \(user.name) already exists")
            }
            try db.execute(
                sql: "INSERT INTO users (id, name, display_name, created_at) VALUES (?, ?, ?, ?)",
                arguments: [user.id, user.name, user.displayName, Timestamp.string(user.createdAt)])
            return user
        }
    }

    public func users() throws -> [User] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY created_at, id").map(User.init(row:))
        }
    }

    public func user(id: String) throws -> User {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound("user", id)
            }
            return try User(row: row)
        }
    }

    /// Deletes the user; past attendances keep their display name.
    public func deleteUser(id: String) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM users WHERE id = ?", arguments: [id])
            if db.changesCount == 0 { throw StoreError.notFound("user", id) }
        }
    }
}

extension User {
    init(row: Row) throws {
        guard let created = Timestamp.date(row["created_at"]) else {
            throw StoreError(.migration, "user row \(row["id"] as String? ?? "?") has an unreadable created_at")
        }
        self.init(id: row["id"], name: row["name"], displayName: row["display_name"], createdAt: created)
    }
}
