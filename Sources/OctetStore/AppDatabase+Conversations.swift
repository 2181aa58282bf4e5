import Foundation
import GRDB
import OctetChat

/// Conversations: create (and import), load, list, rename, delete, settings, observation.
extension AppDatabase {
    // MARK: - Create

    /// Saves `conversation` as a new one, with its messages, in one transaction, and returns
    /// it as stored: new ids (any `id` it had is ignored), times rounded to the millisecond,
    /// and a title from its first user message when it had none. Also the way to import.
    /// - Returns: the stored conversation.
    @discardableResult
    public func createConversation(_ conversation: Conversation) throws -> Conversation {
        try write { db in
            var record = ConversationRecord(conversation)
            record.id = nil
            if record.title.isEmpty,
                let first = conversation.messages.first(where: { $0.role == .user })
            {
                record.title = Conversation.title(fromFirstMessage: first.content)
            }
            try record.insert(db)
            let messages = try conversation.messages.map { message in
                var row = MessageRecord(message, conversationId: record.id!)
                row.id = nil
                try row.insert(db)
                return row.message
            }
            return record.conversation(messages: messages)
        }
    }

    // MARK: - Read

    /// The conversation with this id, its messages in order.
    /// - Throws: `StoreError.noSuchConversation`.
    public func loadConversation(id: Int64) throws -> Conversation {
        try read { db in
            let record = try Self.fetchConversation(id, db)
            let messages = try MessageRecord
                .filter(sql: "conversationId = ?", arguments: [id])
                .order(sql: "id")
                .fetchAll(db)
            return record.conversation(messages: messages.map(\.message))
        }
    }

    /// The conversations, newest first (by last activity).
    /// - Parameter limit: at most this many; nil = all.
    public func listConversations(limit: Int? = nil) throws -> [ConversationSummary] {
        try read { db in try ConversationSummary.fetchAll(db, limit: limit) }
    }

    /// The most recently active conversation's id (`octet --resume` without an id).
    public func latestConversationID() throws -> Int64? {
        try read { db in
            try Int64.fetchOne(
                db, sql: "SELECT id FROM conversation ORDER BY updated DESC, id DESC LIMIT 1")
        }
    }

    /// The conversation list, now and after every change that affects it, from any
    /// connection of this process (GRDB `ValueObservation`). Cancel by ending the iteration.
    public func conversationListUpdates(
        limit: Int? = nil
    ) -> AsyncThrowingStream<[ConversationSummary], Error> {
        let observation = ValueObservation.tracking { db in
            try ConversationSummary.fetchAll(db, limit: limit)
        }
        let writer = self.writer
        let path = self.path
        return AsyncThrowingStream { continuation in
            let cancellable = observation.start(
                in: writer, scheduling: .task,
                onError: { continuation.finish(throwing: StoreError.wrapping($0, path: path)) },
                onChange: { continuation.yield($0) })
            continuation.onTermination = { _ in cancellable.cancel() }
        }
    }

    // MARK: - Change

    /// Gives the conversation a new title (trimmed). Does not change `updated`: renaming an
    /// old conversation does not move it to the top of the list.
    /// - Throws: `StoreError.emptyTitle`, `.noSuchConversation`.
    public func renameConversation(id: Int64, to title: String) throws {
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw StoreError.emptyTitle }
        try write { db in
            try db.execute(
                sql: "UPDATE conversation SET title = ? WHERE id = ?", arguments: [trimmed, id])
            guard db.changesCount == 1 else { throw StoreError.noSuchConversation(id: id) }
        }
    }

    /// Saves the settings of `conversation` (model, chat format, template, system prompt,
    /// sampling), not its title or messages, and sets `updated` to `date`.
    /// - Throws: `StoreError.noSuchConversation` (also when `conversation.id` is nil).
    public func updateSettings(of conversation: Conversation, at date: Date = Date()) throws {
        guard let id = conversation.id else { throw StoreError.noSuchConversation(id: 0) }
        try write { db in
            var record = try Self.fetchConversation(id, db)
            let settings = ConversationRecord(conversation)
            record.model = settings.model
            record.chatFormat = settings.chatFormat
            record.template = settings.template
            record.systemPrompt = settings.systemPrompt
            record.sampling = settings.sampling
            record.updated = StoreTime.milliseconds(date)
            try record.update(db)
        }
    }

    /// Deletes the conversation and (cascading) its messages and their search index entries.
    /// - Throws: `StoreError.noSuchConversation`.
    public func deleteConversation(id: Int64) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM conversation WHERE id = ?", arguments: [id])
            guard db.changesCount == 1 else { throw StoreError.noSuchConversation(id: id) }
        }
    }

    // MARK: - Helpers

    static func fetchConversation(_ id: Int64, _ db: Database) throws -> ConversationRecord {
        guard let record = try ConversationRecord.fetchOne(db, key: id) else {
            throw StoreError.noSuchConversation(id: id)
        }
        return record
    }

    /// Marks the conversation as active at `date` (the list is sorted by it).
    static func touch(_ id: Int64, at date: Date, _ db: Database) throws {
        try db.execute(
            sql: "UPDATE conversation SET updated = ? WHERE id = ?",
            arguments: [StoreTime.milliseconds(date), id])
    }
}
