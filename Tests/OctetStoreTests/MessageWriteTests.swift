import Foundation
import OctetChat
import XCTest
@testable import OctetStore

/// Given/When/Then tests of the message write paths: user messages, streaming replies,
/// the recorder that saves them at least once per second.
final class MessageWriteTests: XCTestCase {
    private func emptyConversation(_ db: AppDatabase) throws -> Int64 {
        try db.createConversation(Conversation(created: Fixtures.start, model: "m.gguf")).id!
    }

    // MARK: - User messages

    func testAUserMessageIsCommittedAtOnceAndTitlesTheConversation() throws {
        // Given an untitled conversation
        let db = try AppDatabase.inMemory()
        let id = try emptyConversation(db)
        // When two user messages are sent
        let first = try db.appendUserMessage("Why is the sky blue?\nDetails please", to: id)
        try db.appendUserMessage("And at sunset?", to: id)
        // Then both are stored, complete, in order, and only the first one titled it
        let loaded = try db.loadConversation(id: id)
        XCTAssertEqual(loaded.messages.map(\.content), ["Why is the sky blue?\nDetails please", "And at sunset?"])
        XCTAssertEqual(loaded.messages.map(\.complete), [true, true])
        XCTAssertEqual(loaded.messages.first?.id, first.id)
        XCTAssertEqual(loaded.title, "Why is the sky blue?")
        XCTAssertEqual(loaded.updated, loaded.messages[1].created)
    }

    func testASystemMessageDoesNotTitleTheConversation() throws {
        let db = try AppDatabase.inMemory()
        let id = try emptyConversation(db)
        try db.appendMessage(Message(role: .system, content: "Template: few-shot"), to: id)
        XCTAssertEqual(try db.loadConversation(id: id).title, "")
    }

    // MARK: - Streaming replies

    func testAStreamingReplyIsIncompleteUntilFinished() throws {
        // Given a conversation with a question
        let db = try AppDatabase.inMemory()
        let id = try emptyConversation(db)
        try db.appendUserMessage("Count to three", to: id)
        // When a reply begins and streams
        let reply = try db.beginReply(in: id, generation: GenerationInfo(model: "m.gguf"))
        XCTAssertEqual(try db.loadConversation(id: id).messages.last?.content, "")
        try db.updateReply(reply.id!, content: "One, two")
        // Then it reads back partial and incomplete, with no stop reason: interrupted
        var last = try db.loadConversation(id: id).messages.last!
        XCTAssertEqual(last.content, "One, two")
        XCTAssertFalse(last.complete)
        XCTAssertNil(last.generation?.stopReason)
        // When it finishes
        let finished = try db.finishReply(
            reply.id!, content: "One, two, three.", generation: Fixtures.generation)
        // Then it is complete with what produced it
        last = try db.loadConversation(id: id).messages.last!
        XCTAssertEqual(last, finished)
        XCTAssertTrue(last.complete)
        XCTAssertEqual(last.generation, Fixtures.generation)
    }

    func testAStoppedReplyKeepsItsTextAndSaysCancelled() throws {
        let db = try AppDatabase.inMemory()
        let id = try emptyConversation(db)
        let reply = try db.beginReply(in: id)
        var info = Fixtures.generation
        info.stopReason = "cancelled"
        try db.finishReply(reply.id!, content: "Once upon", generation: info, complete: false)
        let last = try db.loadConversation(id: id).messages.last!
        XCTAssertEqual(last.content, "Once upon")
        XCTAssertFalse(last.complete)
        XCTAssertEqual(last.generation?.stopReason, "cancelled")
    }

    func testReplyWritesRefuseMessagesThatAreNotReplies() throws {
        let db = try AppDatabase.inMemory()
        let id = try emptyConversation(db)
        let question = try db.appendUserMessage("hi", to: id)
        assertThrows(.noSuchMessage(id: question.id!)) {
            try db.updateReply(question.id!, content: "hacked")
        }
        assertThrows(.noSuchMessage(id: question.id!)) {
            try db.finishReply(question.id!, content: "hacked", generation: nil)
        }
        assertThrows(.noSuchMessage(id: 999)) { try db.updateReply(999, content: "x") }
        XCTAssertEqual(try db.loadConversation(id: id).messages.map(\.content), ["hi"])
    }

    func testDeleteMessageDropsOneMessageForRetry() throws {
        let db = try AppDatabase.inMemory()
        let stored = try db.createConversation(Fixtures.conversation())
        try db.deleteMessage(stored.messages[1].id!)
        XCTAssertEqual(try db.loadConversation(id: stored.id!).messages, [stored.messages[0]])
        XCTAssertEqual(try db.search("capital").count, 1)
        XCTAssertEqual(try db.search("paris").count, 0)
        assertThrows(.noSuchMessage(id: stored.messages[1].id!)) {
            try db.deleteMessage(stored.messages[1].id!)
        }
    }

    // MARK: - ReplyRecorder

    func testTheRecorderSavesAtLeastEveryIntervalAndFinishes() throws {
        // Given a recorder with a fake clock and a 0.5 s interval
        let db = try AppDatabase.inMemory()
        let id = try emptyConversation(db)
        var now = Fixtures.start
        let recorder = try ReplyRecorder(
            database: db, conversationID: id, generation: GenerationInfo(model: "m.gguf"),
            interval: 0.5, clock: { now })
        func saved() throws -> String { try db.loadConversation(id: id).messages.last!.content }
        // When pieces arrive every 0.2 s
        XCTAssertEqual(try saved(), "")
        for piece in ["The ", "sky ", "is ", "blue ", "because"] {
            now += 0.2
            try recorder.append(piece)
        }
        // Then the text was saved at 0.6 s and 1.2 s (not at every piece)
        XCTAssertEqual(recorder.flushCount, 1)
        XCTAssertEqual(try saved(), "The sky is ")
        now += 0.2
        try recorder.append(" of")
        XCTAssertEqual(recorder.flushCount, 2)
        XCTAssertEqual(try saved(), "The sky is blue because of")
        // When nothing new arrived, a flush writes nothing
        try recorder.flush()
        XCTAssertEqual(recorder.flushCount, 2)
        // When it finishes
        let final = try recorder.finish(generation: Fixtures.generation)
        // Then the reply is complete with the whole text
        XCTAssertTrue(final.complete)
        XCTAssertEqual(final.content, "The sky is blue because of")
        XCTAssertEqual(try db.loadConversation(id: id).messages.last, final)
    }

    func testAnUnfinishedRecorderLeavesAnInterruptedReplyInTheFile() throws {
        // Given a file database and a reply that streamed for a while
        let path = try makeTemporaryDirectory().appendingPathComponent("h.sqlite").path
        var conversationID: Int64 = 0
        do {
            let db = try AppDatabase(path: path)
            conversationID = try db.createConversation(Conversation(model: "m.gguf")).id!
            try db.appendUserMessage("Tell me a story", to: conversationID)
            let recorder = try ReplyRecorder(
                database: db, conversationID: conversationID, interval: 0)
            try recorder.append("Once upon a time")
            // When the process goes away without finishing (the object is dropped)
        }
        // Then a new process finds the question and the partial reply, incomplete
        let reopened = try AppDatabase(path: path)
        let messages = try reopened.loadConversation(id: conversationID).messages
        XCTAssertEqual(messages.map(\.content), ["Tell me a story", "Once upon a time"])
        XCTAssertEqual(messages.map(\.complete), [true, false])
        XCTAssertTrue(try reopened.listConversations()[0].endsWithIncompleteReply)
    }
}
