import Foundation
import GRDB
import OctetChat

/// The conversation history: one SQLite database, opened once per process (GRDB
/// `Concurrency.md`, rule 1) and migrated when opened.
///
/// The real file is a `DatabasePool` (WAL: readers never wait for the writer, and several
/// Octet processes can share it); tests use `inMemory()`. Every public write method is one
/// transaction (rule 2), so a crash leaves each intention either saved or not at all.
///
/// ```swift
/// let db = try AppDatabase(path: "/home/me/.local/share/octet/octet.sqlite")
/// let conversation = try db.createConversation(Conversation(model: "m.gguf"))
/// let question = try db.appendUserMessage("Hello", to: conversation.id!)
/// ```
///
/// Errors are `StoreError`s naming the file.
public final class AppDatabase: Sendable {
    /// The database file, or `:memory:`.
    public let path: String
    /// The pool or queue; exposed to the module's extensions only.
    let writer: any DatabaseWriter

    // MARK: - Opening

    /// Opens (creating when missing) the database at `path` and migrates it to the latest
    /// schema. A missing folder is created with mode 0700, a new file with mode 0600.
    /// - Throws: `StoreError.notADatabase` (the file is left untouched),
    ///   `.newerVersion`, `.readOnly`, `.diskFull`, `.io`.
    public convenience init(path: String) throws {
        try self.init(path: path, prepare: nil)
    }

    /// `prepare` runs on every new connection (tests use it to limit the database's size).
    convenience init(path: String, prepare: (@Sendable (Database) throws -> Void)?) throws {
        if try DatabaseFile.prepare(path) == .existing {
            // Look first with a read-only connection, so that a file that is not ours (or
            // is newer) is refused before the pool switches it to WAL mode.
            try Self.probe(path)
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: Self.configuration(prepare))
        } catch {
            throw StoreError.wrapping(error, path: path)
        }
        try self.init(writer: pool, path: path)
    }

    /// A new, empty database in memory, for tests and previews.
    public static func inMemory() throws -> AppDatabase {
        try inMemory(prepare: nil)
    }

    static func inMemory(prepare: (@Sendable (Database) throws -> Void)?) throws -> AppDatabase {
        let queue = try DatabaseQueue(configuration: configuration(prepare))
        return try AppDatabase(writer: queue, path: ":memory:")
    }

    private init(writer: any DatabaseWriter, path: String) throws {
        self.writer = writer
        self.path = path
        try migrate()
    }

    private static func configuration(
        _ prepare: (@Sendable (Database) throws -> Void)?
    ) -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        // Another Octet process may be writing: wait for it rather than fail at once.
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // Every commit reaches the disk before it returns: "nothing committed is lost"
            // also holds for a power cut, not only for a killed process.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try prepare?(db)
        }
        return config
    }

    // MARK: - Schema

    /// Refuses SQLite files of other programs and of newer Octets.
    private static func check(_ db: Database, path: String) throws {
        let tables = try String.fetchAll(
            db,
            sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        // Only GRDB's own table: a new database another process is migrating right now.
        guard tables.contains(where: { $0 != "grdb_migrations" }) else { return }
        let migrator = Migrations.migrator
        let applied = tables.contains("grdb_migrations") ? try migrator.appliedIdentifiers(db) : []
        guard let first = migrator.migrations.first, applied.contains(first) else {
            throw StoreError.notADatabase(path: path)
        }
        if let unknown = applied.subtracting(migrator.migrations).sorted().first {
            throw StoreError.newerVersion(path: path, migration: unknown)
        }
    }

    private static func probe(_ path: String) throws {
        var config = Configuration()
        config.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            try queue.read { db in try check(db, path: path) }
            try queue.close()
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError
            where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
            throw StoreError.notADatabase(path: path)
        } catch {
            // A read-only connection may fail where a writable one works (a WAL database
            // without its -shm file): the pool below checks again and reports.
        }
    }

    /// Applies the missing migrations. Two processes opening a new database at once may race
    /// for the first one; the loser finds it applied and goes on.
    private func migrate() throws {
        let migrator = Migrations.migrator
        let path = self.path
        do {
            try writer.read { db in try Self.check(db, path: path) }
            for attempt in 1...3 {
                do {
                    try migrator.migrate(writer)
                    return
                } catch {
                    if try writer.read(migrator.hasCompletedMigrations) { return }
                    if attempt == 3 { throw error }
                }
            }
        } catch {
            throw StoreError.wrapping(error, path: path)
        }
    }

    // MARK: - Transactions

    /// One write transaction, its errors as `StoreError`s.
    func write<T>(_ updates: (Database) throws -> T) throws -> T {
        do {
            return try writer.write(updates)
        } catch {
            throw StoreError.wrapping(error, path: path)
        }
    }

    /// One read transaction (a stable snapshot), its errors as `StoreError`s.
    func read<T>(_ value: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(value)
        } catch {
            throw StoreError.wrapping(error, path: path)
        }
    }

    /// Runs `PRAGMA integrity_check` and returns its answer (`ok` when the file is sound).
    public func integrityCheck() throws -> String {
        try read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ")
        }
    }
}
