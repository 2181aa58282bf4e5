import Foundation
import GRDB
import OctetChat
import XCTest
@testable import OctetStore

/// The schema's history: a database written by `v1` opens with the latest code.
final class MigrationTests: XCTestCase {
    /// A writable copy of the checked-in `v1` database.
    private func v1Copy() throws -> String {
        let source = try XCTUnwrap(
            Bundle.module.url(forResource: "v1", withExtension: "sqlite", subdirectory: "Resources"))
        let path = try makeTemporaryDirectory().appendingPathComponent("octet.sqlite").path
        try FileManager.default.copyItem(atPath: source.path, toPath: path)
        return path
    }

    func testAV1DatabaseOpensWithTheLatestCode() throws {
        // Given the database a v1 Octet wrote
        let path = try v1Copy()
        // When the latest code opens it
        let db = try AppDatabase(path: path)
        // Then it is migrated to the latest version
        let applied = try db.read { try Migrations.migrator.appliedMigrations($0) }
        XCTAssertEqual(applied, Migrations.migrator.migrations)
        // And every conversation reads back as it was written
        XCTAssertEqual(try db.listConversations().map(\.title), ["A story", "我喜欢编程", "Capital of France"])
        let paris = try db.loadConversation(id: 1)
        XCTAssertEqual(paris.systemPrompt, "Be brief.\nBe kind.")
        XCTAssertEqual(paris.sampling.seed, 42)
        XCTAssertEqual(paris.created, Transcript.date(iso8601: "2025-05-01T09:30:00.125Z"))
        let reply = try XCTUnwrap(paris.messages.last?.generation)
        XCTAssertEqual(reply.sampling.seed, UInt64.max)
        XCTAssertEqual(reply.seed, 12_345_678_901_234_567_890)
        XCTAssertEqual(reply.modelHash, "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53")
        XCTAssertEqual(reply.tokensPerSecond, 55.25)
        let story = try db.loadConversation(id: 3)
        XCTAssertEqual(story.messages.map(\.complete), [true, false])
        // And its index still answers, and it takes new writes
        XCTAssertEqual(try db.search("编程").map(\.conversationID), [2])
        XCTAssertEqual(try db.search("launch").map(\.conversationID), [3])
        try db.appendUserMessage("And then?", to: 3)
        XCTAssertEqual(try db.search("then").map(\.conversationID), [3])
        XCTAssertEqual(try db.integrityCheck(), "ok")
    }

    func testAMigratedV1DatabaseHasTheSchemaOfANewOne() throws {
        // Given a migrated v1 database and a brand new one
        let migrated = try AppDatabase(path: try v1Copy())
        let fresh = try AppDatabase.inMemory()
        // Then their schemas are the same (a later migration that forgets a piece shows here)
        func schema(_ db: AppDatabase) throws -> [String] {
            try db.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_master
                        WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name
                        """)
            }
        }
        XCTAssertEqual(try schema(migrated), try schema(fresh))
    }

    func testMigrationsAreNamedV1V2InOrder() {
        let names = Migrations.migrator.migrations
        XCTAssertEqual(names, (1...names.count).map { "v\($0)" })
    }
}
