import Foundation
import OctetChat
import XCTest
@testable import OctetStore

/// Full-text search: English through FTS5, Chinese and Japanese through the substring
/// fallback, emoji-adjacent words, ranking, one hit per conversation.
final class SearchTests: XCTestCase {
    /// Stores a conversation with one user message `text`, active at `start + offset` s.
    @discardableResult
    private func store(
        _ db: AppDatabase, _ texts: [String], title: String = "", offset: TimeInterval = 0
    ) throws -> Int64 {
        let time = Fixtures.start.addingTimeInterval(offset)
        let messages = texts.map { Message(role: .user, content: $0, created: time) }
        return try db.createConversation(
            Conversation(title: title, created: time, messages: messages)).id!
    }

    func testAnEnglishWordIsFoundWithAHighlightedSnippet() throws {
        // Given conversations about Paris and about Rome
        let db = try AppDatabase.inMemory()
        let paris = try store(db, ["Tell me about Paris.\nIt is in France."], title: "France")
        try store(db, ["Tell me about Rome."])
        // When searching for "paris" in lower case
        let hits = try db.search("paris")
        // Then only the Paris conversation is found, its snippet on one line, the word marked
        XCTAssertEqual(hits.map(\.conversationID), [paris])
        XCTAssertEqual(hits[0].title, "France")
        XCTAssertEqual(hits[0].markedSnippet(), "Tell me about [Paris]. It is in France.")
        XCTAssertEqual(hits[0].snippet, "Tell me about Paris. It is in France.")
    }

    func testWordsMatchAsPrefixesWithoutAccentsAndAllMustMatch() throws {
        let db = try AppDatabase.inMemory()
        let id = try store(db, ["Une élégance programmatique"])
        XCTAssertEqual(try db.search("elegance").map(\.conversationID), [id])
        XCTAssertEqual(try db.search("program").map(\.conversationID), [id])
        XCTAssertEqual(try db.search("elegance program").map(\.conversationID), [id])
        XCTAssertEqual(try db.search("elegance rome").count, 0)
    }

    func testChineseWordsAreFoundInsideLongerRuns() throws {
        // Given a Chinese message without spaces (one FTS5 token for unicode61)
        let db = try AppDatabase.inMemory()
        let id = try store(db, ["我喜欢编程，也喜欢音乐。"])
        try store(db, ["我喜欢音乐。"])
        // When searching for 编程 (two characters: too short for a trigram index)
        let hits = try db.search("编程")
        // Then it is found, highlighted
        XCTAssertEqual(hits.map(\.conversationID), [id])
        XCTAssertEqual(hits[0].markedSnippet(), "我喜欢[编程]，也喜欢音乐。")
        XCTAssertEqual(try db.search("编").map(\.conversationID), [id])
        XCTAssertEqual(try db.search("喜欢").count, 2)
    }

    func testJapaneseAndKoreanAreFound() throws {
        let db = try AppDatabase.inMemory()
        let japanese = try store(db, ["私はプログラミングが好きです"])
        let korean = try store(db, ["저는 프로그래밍을 좋아해요"])
        XCTAssertEqual(try db.search("プログラミング").map(\.conversationID), [japanese])
        XCTAssertEqual(try db.search("好き").map(\.conversationID), [japanese])
        XCTAssertEqual(try db.search("프로그래밍").map(\.conversationID), [korean])
    }

    func testWordsNextToEmojiAndEmojiThemselvesAreFound() throws {
        // Given a message where words touch emoji
        let db = try AppDatabase.inMemory()
        let id = try store(db, ["Ready for rocket🚀launch today🙂"])
        try store(db, ["no emoji here"])
        // Then the words on both sides of the emoji are found, and so is the emoji
        XCTAssertEqual(try db.search("launch").map(\.conversationID), [id])
        XCTAssertEqual(try db.search("rocket").map(\.conversationID), [id])
        XCTAssertEqual(try db.search("today").map(\.conversationID), [id])
        XCTAssertEqual(try db.search("rocket🚀launch").map(\.conversationID), [id])
        let emoji = try db.search("🚀")
        XCTAssertEqual(emoji.map(\.conversationID), [id])
        XCTAssertEqual(emoji.first?.markedSnippet(), "Ready for rocket[🚀]launch today🙂")
    }

    func testOneRowPerConversationWithItsBestMessage() throws {
        // Given a conversation where one message mentions the word twice
        let db = try AppDatabase.inMemory()
        let id = try store(db, [
            "A long message that mentions swift once among many other words here",
            "swift swift",
        ])
        // When searching
        let hits = try db.search("swift")
        // Then one hit, for the better message
        XCTAssertEqual(hits.count, 1)
        XCTAssertEqual(hits[0].conversationID, id)
        XCTAssertEqual(hits[0].markedSnippet(), "[swift] [swift]")
    }

    func testEqualRanksAreNewestFirstInBothStrategies() throws {
        // Given three conversations with the same text, active at different times
        let db = try AppDatabase.inMemory()
        let old = try store(db, ["We talked about Paris 编程"], offset: 0)
        let newest = try store(db, ["We talked about Paris 编程"], offset: 200)
        let middle = try store(db, ["We talked about Paris 编程"], offset: 100)
        // When searching with the index and with the substring scan
        // Then the most recently active comes first
        XCTAssertEqual(try db.search("paris").map(\.conversationID), [newest, middle, old])
        XCTAssertEqual(try db.search("编程").map(\.conversationID), [newest, middle, old])
    }

    func testBetterRanksComeFirst() throws {
        let db = try AppDatabase.inMemory()
        let weak = try store(db, ["paris is mentioned once in this rather long sentence about travel"], offset: 100)
        let strong = try store(db, ["Paris, Paris, Paris"], offset: 0)
        XCTAssertEqual(try db.search("paris").map(\.conversationID), [strong, weak])
        let cjkWeak = try store(db, ["编程 一次，很多别的字在这里"], offset: 300)
        let cjkStrong = try store(db, ["编程编程编程"], offset: 0)
        XCTAssertEqual(try db.search("编程").map(\.conversationID), [cjkStrong, cjkWeak])
    }

    func testTheIndexFollowsStreamingUpdates() throws {
        // Given a reply that streams
        let db = try AppDatabase.inMemory()
        let id = try store(db, ["question"])
        let reply = try db.beginReply(in: id)
        try db.updateReply(reply.id!, content: "first draft")
        XCTAssertEqual(try db.search("draft").map(\.messageID), [reply.id!])
        // When its text changes
        try db.finishReply(reply.id!, content: "final answer", generation: nil)
        // Then the index has the new text only
        XCTAssertEqual(try db.search("draft").count, 0)
        XCTAssertEqual(try db.search("final").map(\.role), [.assistant])
    }

    func testQueriesWithSearchSyntaxOrNothingToFindAreSafe() throws {
        let db = try AppDatabase.inMemory()
        let id = try store(db, ["50% of \"quoted\" AND stuff_here (ok)*"])
        for query in ["\"", "AND", "*", "(", "NEAR(", "a:b", "^", "-", "'"] {
            XCTAssertNoThrow(try db.search(query), query)
        }
        XCTAssertEqual(try db.search("").count, 0)
        XCTAssertEqual(try db.search("   ").count, 0)
        XCTAssertEqual(try db.search("quoted AND").map(\.conversationID), [id])
        // LIKE wildcards in a substring query are literal characters
        XCTAssertEqual(try db.search("%").map(\.conversationID), [id])
        XCTAssertEqual(try db.search("_").map(\.conversationID), [id])
    }

    func testTheLimitCountsConversations() throws {
        let db = try AppDatabase.inMemory()
        for index in 0..<5 { try store(db, ["paris \(index)", "paris again"], offset: Double(index)) }
        XCTAssertEqual(try db.search("paris", limit: 3).count, 3)
    }

    func testIndexPatternsQuoteEveryWord() {
        XCTAssertEqual(AppDatabase.indexPattern("Paris, \"France\" AND"), "\"Paris\"* \"France\"* \"AND\"*")
        XCTAssertEqual(AppDatabase.indexPattern("rocket🚀launch"), "\"rocket\"* \"launch\"*")
        XCTAssertNil(AppDatabase.indexPattern("🚀 -- **"))
    }

    func testScriptsWithoutSpacesUseTheSubstringScan() {
        XCTAssertTrue(AppDatabase.needsSubstringSearch("编程"))
        XCTAssertTrue(AppDatabase.needsSubstringSearch("プログラミング"))
        XCTAssertTrue(AppDatabase.needsSubstringSearch("swift 编程"))
        XCTAssertFalse(AppDatabase.needsSubstringSearch("élégance"))
        XCTAssertFalse(AppDatabase.needsSubstringSearch("rocket🚀"))
    }
}
