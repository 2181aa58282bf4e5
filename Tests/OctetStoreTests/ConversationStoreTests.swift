import Foundation
import OctetChat
import XCTest
@testable import OctetStore

/// Given/When/Then tests of the conversation write paths, on fresh in-memory databases.
final class ConversationStoreTests: XCTestCase {
    // MARK: - Create and load

    func testCreateAssignsIdsAndTitlesFromTheFirstUserMessage() throws {
        // Given an empty database and an untitled conversation
        let db = try AppDatabase.inMemory()
        let conversation = Fixtures.conversation(user: "  Hello there\nsecond line")
        // When it is saved
        let stored = try db.createConversation(conversation)
        // Then it and each message have ids, and the title is the first user line
        XCTAssertNotNil(stored.id)
        XCTAssertEqual(stored.messages.compactMap(\.id).count, 2)
        XCTAssertEqual(stored.title, "Hello there")
        XCTAssertEqual(try db.loadConversation(id: stored.id!), stored)
    }

    func testLoadRestoresEverySettingAndEveryReplyField() throws {
        // Given a stored conversation with all settings and a reply with full generation info
        let db = try AppDatabase.inMemory()
        let original = Fixtures.conversation(title: "Capitals")
        let stored = try db.createConversation(original)
        // When it is loaded
        let loaded = try db.loadConversation(id: stored.id!)
        // Then nothing is lost or changed (seeds above Int64.max included)
        XCTAssertEqual(Fixtures.withoutIDs(loaded), original)
        XCTAssertEqual(loaded.messages[1].generation?.sampling.seed, UInt64.max)
        XCTAssertEqual(loaded.messages[1].generation?.seed, 12_345_678_901_234_567_890)
        XCTAssertEqual(loaded.sampling.seed, 42)
    }

    func testTimesAreKeptToTheMillisecond() throws {
        // Given a conversation created at a time with sub-millisecond digits
        let db = try AppDatabase.inMemory()
        let time = Date(timeIntervalSince1970: 1_700_000_000.123_456)
        // When it is stored and loaded
        let stored = try db.createConversation(Conversation(created: time))
        // Then the time is rounded to the millisecond, and reads back exactly so
        XCTAssertEqual(stored.created.timeIntervalSince1970, 1_700_000_000.123, accuracy: 1e-6)
        XCTAssertEqual(try db.loadConversation(id: stored.id!).created, stored.created)
    }

    func testUnknownIdsAreOneLineErrors() throws {
        let db = try AppDatabase.inMemory()
        assertThrows(.noSuchConversation(id: 7)) { try db.loadConversation(id: 7) }
        assertThrows(.noSuchConversation(id: 7)) { try db.appendUserMessage("hi", to: 7) }
        assertThrows(.noSuchConversation(id: 7)) { try db.deleteConversation(id: 7) }
        assertThrows(.noSuchConversation(id: 7)) { try db.renameConversation(id: 7, to: "x") }
        assertThrows(.noSuchConversation(id: 0)) { try db.updateSettings(of: Conversation()) }
    }

    // MARK: - List

    func testListIsNewestFirstWithCountsAndTheInterruptedFlag() throws {
        // Given three conversations, the middle one last active, the last one interrupted
        let db = try AppDatabase.inMemory()
        let first = try db.createConversation(Fixtures.conversation(user: "one"))
        let second = try db.createConversation(
            Fixtures.conversation(user: "two", at: Fixtures.start.addingTimeInterval(10)))
        let third = try db.createConversation(
            Fixtures.conversation(user: "three", at: Fixtures.start.addingTimeInterval(20)))
        try db.appendUserMessage("again", to: second.id!, created: Fixtures.start.addingTimeInterval(30))
        _ = try db.beginReply(in: third.id!, created: Fixtures.start.addingTimeInterval(25))
        // When the list is read
        let list = try db.listConversations()
        // Then it is ordered by last activity, with counts and flags
        XCTAssertEqual(list.map(\.id), [second.id!, third.id!, first.id!])
        XCTAssertEqual(list.map(\.messageCount), [3, 3, 2])
        XCTAssertEqual(list.map(\.endsWithIncompleteReply), [false, true, false])
        XCTAssertEqual(list[0].title, "two")
        XCTAssertEqual(try db.listConversations(limit: 1).count, 1)
        XCTAssertEqual(try db.latestConversationID(), second.id)
    }

    func testTheListIsObserved() async throws {
        // Given an observed, empty database
        let db = try AppDatabase.inMemory()
        var updates = db.conversationListUpdates().makeAsyncIterator()
        let initial = try await updates.next()
        XCTAssertEqual(initial?.count, 0)
        // When a conversation is created
        let stored = try db.createConversation(Fixtures.conversation(title: "Watched"))
        // Then the observer gets the new list
        let next = try await updates.next()
        XCTAssertEqual(next?.map(\.id), [stored.id!])
    }

    // MARK: - Rename, settings, delete

    func testRenameTrimsAndDoesNotMoveTheConversationUp() throws {
        // Given a stored conversation
        let db = try AppDatabase.inMemory()
        let stored = try db.createConversation(Fixtures.conversation())
        // When it is renamed
        try db.renameConversation(id: stored.id!, to: "  Paris questions \n")
        // Then the title changed, its time did not, and an empty title is refused
        let loaded = try db.loadConversation(id: stored.id!)
        XCTAssertEqual(loaded.title, "Paris questions")
        XCTAssertEqual(loaded.updated, stored.updated)
        assertThrows(.emptyTitle) { try db.renameConversation(id: stored.id!, to: "  ") }
    }

    func testUpdateSettingsChangesSettingsOnly() throws {
        // Given a stored conversation
        let db = try AppDatabase.inMemory()
        let stored = try db.createConversation(Fixtures.conversation(title: "Kept"))
        // When its template, system prompt and sampling change (and, wrongly, its title)
        var changed = stored
        changed.template = "chain-of-thought"
        changed.systemPrompt = nil
        changed.sampling.temperature = 0
        changed.sampling.seed = nil
        changed.title = "Not saved by updateSettings"
        let later = Fixtures.start.addingTimeInterval(100)
        try db.updateSettings(of: changed, at: later)
        // Then the settings are saved, the title and messages are not touched
        let loaded = try db.loadConversation(id: stored.id!)
        XCTAssertEqual(loaded.template, "chain-of-thought")
        XCTAssertNil(loaded.systemPrompt)
        XCTAssertEqual(loaded.sampling, changed.sampling)
        XCTAssertEqual(loaded.title, "Kept")
        XCTAssertEqual(loaded.messages, stored.messages)
        XCTAssertEqual(loaded.updated, later)
    }

    func testDeleteCascadesToMessagesAndTheSearchIndex() throws {
        // Given two stored conversations that both mention Paris
        let db = try AppDatabase.inMemory()
        let gone = try db.createConversation(Fixtures.conversation())
        let kept = try db.createConversation(Fixtures.conversation())
        // When one is deleted
        try db.deleteConversation(id: gone.id!)
        // Then its messages and index entries are gone, the other's are not
        assertThrows(.noSuchConversation(id: gone.id!)) { try db.loadConversation(id: gone.id!) }
        let orphans = try db.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message WHERE conversationId = ?",
                             arguments: [gone.id!])
        }
        XCTAssertEqual(orphans, 0)
        XCTAssertEqual(try db.search("paris").map(\.conversationID), [kept.id!])
        XCTAssertEqual(try db.integrityCheck(), "ok")
    }

    func testIdsAreNotReusedAfterDelete() throws {
        // Given a conversation that was deleted
        let db = try AppDatabase.inMemory()
        let first = try db.createConversation(Fixtures.conversation())
        try db.deleteConversation(id: first.id!)
        // When another is created
        let second = try db.createConversation(Fixtures.conversation())
        // Then it gets a new id: `octet show 1` never shows a different conversation
        XCTAssertGreaterThan(second.id!, first.id!)
    }
}
