import Foundation
import GRDB
import OctetChat
import XCTest
@testable import OctetStore

/// Bad files and bad conditions at the database path: refused with one clear line, never
/// overwritten; nothing already saved is lost.
final class FaultTests: XCTestCase {
    private func databasePath() throws -> String {
        try makeTemporaryDirectory().appendingPathComponent("octet.sqlite").path
    }

    private func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?
            .intValue ?? -1
    }

    /// Opening `path` must fail with `expected` and leave the file's bytes as they were.
    private func assertRefused(
        _ path: String, _ expected: StoreError, line: UInt = #line
    ) throws {
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        assertThrows(expected, line: line) { try AppDatabase(path: path) }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before, line: line)
    }

    // MARK: - New files

    func testANewDatabaseIsPrivateInAPrivateFolder() throws {
        // Given a path in folders that do not exist yet
        let root = try makeTemporaryDirectory()
        let path = root.appendingPathComponent("a/octet/octet.sqlite").path
        // When the database is opened
        let db = try AppDatabase(path: path)
        try db.createConversation(Fixtures.conversation())
        // Then the file is 0600, its folders 0700, and it is in WAL mode
        XCTAssertEqual(try mode(path), 0o600)
        XCTAssertEqual(try mode(root.appendingPathComponent("a/octet").path), 0o700)
        XCTAssertEqual(try mode(root.appendingPathComponent("a").path), 0o700)
        XCTAssertEqual(try mode(path + "-wal"), 0o600)
        let journal = try db.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        XCTAssertEqual(journal, "wal")
    }

    func testAnExistingDatabaseIsMadePrivate() throws {
        let path = try databasePath()
        _ = try AppDatabase(path: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        _ = try AppDatabase(path: path)
        XCTAssertEqual(try mode(path), 0o600)
    }

    // MARK: - Files that are not ours

    func testAFileThatIsNotSQLiteIsRefusedAndUntouched() throws {
        let path = try databasePath()
        try Data("These are my notes, not a database.\n".utf8).write(to: URL(fileURLWithPath: path))
        try assertRefused(path, .notADatabase(path: path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-wal"))
    }

    func testACorruptSQLiteFileIsRefusedAndUntouched() throws {
        // Given a real database whose first page was damaged after the 16-byte header
        let path = try databasePath()
        do {
            let db = try AppDatabase(path: path)
            try db.createConversation(Fixtures.conversation())
        }
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        for index in 16..<100 { data[index] = 0xFF }
        try data.write(to: URL(fileURLWithPath: path))
        // Then opening it is refused and the bytes stay
        try assertRefused(path, .notADatabase(path: path))
    }

    func testACorruptPageIsReportedWhenRead() throws {
        // Given a database whose message pages were overwritten with garbage
        let path = try databasePath()
        let id: Int64
        do {
            let db = try AppDatabase(path: path)
            id = try db.createConversation(
                Fixtures.conversation(reply: String(repeating: "Paris is lovely. ", count: 2000))
            ).id!
        }
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        let pageSize = 4096
        for page in 2..<(data.count / pageSize) {
            for index in (page * pageSize)..<(page * pageSize + 64) { data[index] = 0xA5 }
        }
        try data.write(to: URL(fileURLWithPath: path))
        // When it is opened and read, then the answer is the clear error, not garbage
        XCTAssertThrowsError(try AppDatabase(path: path).loadConversation(id: id)) { error in
            XCTAssertEqual(error as? StoreError, .notADatabase(path: path), "\(error)")
        }
    }

    func testAnotherProgramsSQLiteDatabaseIsRefusedAndUntouched() throws {
        let path = try databasePath()
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in
                try db.execute(sql: "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
                try db.execute(sql: "INSERT INTO moz_places (url) VALUES ('https://example.com')")
            }
        }
        try assertRefused(path, .notADatabase(path: path))
    }

    func testADatabaseFromANewerOctetSaysSo() throws {
        // Given a database with a migration this Octet does not know
        let path = try databasePath()
        do {
            let db = try AppDatabase(path: path)
            try db.createConversation(Fixtures.conversation())
            try db.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9')")
            }
        }
        // Then it is refused, naming the migration, and left as it is
        try assertRefused(path, .newerVersion(path: path, migration: "v9"))
        XCTAssertTrue("\(StoreError.newerVersion(path: path, migration: "v9"))".contains("newer Octet"))
    }

    // MARK: - Full disk, two processes

    func testAFullDiskIsAClearErrorAndKeepsWhatWasSaved() throws {
        // Given a database whose size is capped (as a full disk would)
        let path = try databasePath()
        let saved = try AppDatabase(path: path).createConversation(Fixtures.conversation())
        let capped = try AppDatabase(path: path) { db in
            try db.execute(sql: "PRAGMA max_page_count = 30")
        }
        // When a write does not fit
        let huge = String(repeating: "too big to fit ", count: 20_000)
        assertThrows(.diskFull(path: path)) { try capped.appendUserMessage(huge, to: saved.id!) }
        // Then what was saved before is all there, and the file is sound
        let reopened = try AppDatabase(path: path)
        XCTAssertEqual(try reopened.loadConversation(id: saved.id!), saved)
        XCTAssertEqual(try reopened.integrityCheck(), "ok")
    }

    func testTwoConnectionsToOneFileBothWrite() throws {
        // Given two independent pools on one file (as two Octet processes have)
        let path = try databasePath()
        let first = try AppDatabase(path: path)
        let second = try AppDatabase(path: path)
        // When both write, interleaved, from two threads
        let failures = [first, second].enumerated().map { index, db in
            (index, db)
        }.concurrentMap { index, db -> String? in
            do {
                for turn in 0..<20 {
                    let id = try db.createConversation(Conversation(title: "p\(index) t\(turn)")).id!
                    try db.appendUserMessage("hello from \(index)", to: id)
                }
                return nil
            } catch {
                return "\(error)"
            }
        }
        // Then every write landed and each sees the other's
        XCTAssertEqual(failures, [nil, nil])
        XCTAssertEqual(try first.listConversations().count, 40)
        XCTAssertEqual(try second.search("hello").count, 40)
    }
}

extension Array where Element: Sendable {
    /// `transform` of each element, each on its own thread at the same time.
    fileprivate func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        nonisolated(unsafe) let output = results
        DispatchQueue.concurrentPerform(iterations: count) { index in
            output[index] = transform(self[index])
        }
        return results.map { $0! }
    }
}
