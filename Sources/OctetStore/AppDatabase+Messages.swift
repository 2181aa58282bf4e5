import Foundation
import GRDB
import OctetChat

/// Messages, written so that a crash loses at most the last second of one reply:
/// a user message is committed when sent (`appendUserMessage`), a reply is created incomplete
/// (`beginReply`), its text saved while it streams (`updateReply`, or `ReplyRecorder` which
/// does it at least once per second) and marked complete at the end (`finishReply`). After a
/// crash the reply reads back with `complete == false` and no `stopReason`: interrupted.
extension AppDatabase {
    // MARK: - User and other messages

    /// Commits a user message at once, and titles the conversation with it if it had no title.
    /// - Returns: the stored message (with its id).
    /// - Throws: `StoreError.noSuchConversation`.
    @discardableResult
    public func appendUserMessage(
        _ text: String, to conversationID: Int64, created: Date = Date()
    ) throws -> Message {
        try appendMessage(Message(role: .user, content: text, created: created), to: conversationID)
    }

    /// Commits any message (a system note, a whole reply) at the end of the conversation; the
    /// first user message titles an untitled conversation.
    /// - Returns: the stored message (with its id).
    /// - Throws: `StoreError.noSuchConversation`.
    @discardableResult
    public func appendMessage(_ message: Message, to conversationID: Int64) throws -> Message {
        try write { db in
            var conversation = try Self.fetchConversation(conversationID, db)
            var row = MessageRecord(message, conversationId: conversationID)
            row.id = nil
            try row.insert(db)
            if conversation.title.isEmpty, message.role == .user {
                conversation.title = Conversation.title(fromFirstMessage: message.content)
            }
            conversation.updated = row.created
            try conversation.update(db)
            return row.message
        }
    }

    // MARK: - Streaming replies

    /// Creates an empty, incomplete assistant reply to be filled while it streams.
    /// - Parameter generation: what is producing it, as far as known before it starts.
    /// - Returns: the stored message (with its id).
    /// - Throws: `StoreError.noSuchConversation`.
    public func beginReply(
        in conversationID: Int64, generation: GenerationInfo? = nil, created: Date = Date()
    ) throws -> Message {
        let reply = Message(
            role: .assistant, content: "", created: created, complete: false,
            generation: generation)
        return try appendMessage(reply, to: conversationID)
    }

    /// Saves the text so far of a streaming reply; it reads as incomplete until
    /// `finishReply`. Call it at least once per second while the reply streams.
    /// - Throws: `StoreError.noSuchMessage` when `messageID` is not a reply.
    public func updateReply(_ messageID: Int64, content: String, at date: Date = Date()) throws {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE message SET content = ?, complete = 0
                    WHERE id = ? AND role = 'assistant'
                    """,
                arguments: [content, messageID])
            guard db.changesCount == 1 else { throw StoreError.noSuchMessage(id: messageID) }
            try Self.touchConversation(ofMessage: messageID, at: date, db)
        }
    }

    /// Saves the final text of a reply and what produced it, and marks it `complete` (false for
    /// a reply the user stopped: its `generation.stopReason` says `cancelled`).
    /// - Returns: the stored message.
    /// - Throws: `StoreError.noSuchMessage` when `messageID` is not a reply.
    @discardableResult
    public func finishReply(
        _ messageID: Int64, content: String, generation: GenerationInfo?, complete: Bool = true,
        at date: Date = Date()
    ) throws -> Message {
        try write { db in
            guard var row = try MessageRecord.fetchOne(db, key: messageID), row.role == .assistant
            else { throw StoreError.noSuchMessage(id: messageID) }
            row.content = content
            row.generation = generation ?? row.generation
            row.complete = complete
            try row.update(db)
            try Self.touch(row.conversationId, at: date, db)
            return row.message
        }
    }

    /// Deletes one message (`/retry` drops the last reply before generating it again).
    /// - Throws: `StoreError.noSuchMessage`.
    public func deleteMessage(_ messageID: Int64) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM message WHERE id = ?", arguments: [messageID])
            guard db.changesCount == 1 else { throw StoreError.noSuchMessage(id: messageID) }
        }
    }

    // MARK: - Helpers

    private static func touchConversation(
        ofMessage messageID: Int64, at date: Date, _ db: Database
    ) throws {
        try db.execute(
            sql: """
                UPDATE conversation SET updated = ?
                WHERE id = (SELECT conversationId FROM message WHERE id = ?)
                """,
            arguments: [StoreTime.milliseconds(date), messageID])
    }
}
