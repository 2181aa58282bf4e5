import Foundation
import GRDB

/// One line of the conversation list (`octet list`, the F3 list): enough to show and pick a
/// conversation without loading its messages.
public struct ConversationSummary: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var title: String
    public var created: Date
    /// The time of the last message or settings change.
    public var updated: Date
    /// The model file's name.
    public var model: String?
    /// The prompt template's name.
    public var template: String?
    public var messageCount: Int
    /// True when the last message is a reply that did not finish (a crash, a kill, Ctrl-C).
    public var endsWithIncompleteReply: Bool

    public init(
        id: Int64, title: String, created: Date, updated: Date, model: String? = nil,
        template: String? = nil, messageCount: Int = 0, endsWithIncompleteReply: Bool = false
    ) {
        self.id = id
        self.title = title
        self.created = created
        self.updated = updated
        self.model = model
        self.template = template
        self.messageCount = messageCount
        self.endsWithIncompleteReply = endsWithIncompleteReply
    }

    // MARK: - Fetching

    /// Newest first (by `updated`, then by id).
    static func fetchAll(_ db: Database, limit: Int?) throws -> [ConversationSummary] {
        let sql = """
            SELECT c.id, c.title, c.created, c.updated, c.model, c.template,
                   (SELECT COUNT(*) FROM message m WHERE m.conversationId = c.id) AS messageCount,
                   (SELECT NOT m.complete FROM message m WHERE m.conversationId = c.id
                    ORDER BY m.id DESC LIMIT 1) AS endsIncomplete
            FROM conversation c
            ORDER BY c.updated DESC, c.id DESC
            LIMIT ?
            """
        return try Row.fetchAll(db, sql: sql, arguments: [limit ?? -1]).map { row in
            ConversationSummary(
                id: try row.decode(forColumn: "id"),
                title: try row.decode(forColumn: "title"),
                created: StoreTime.date(try row.decode(forColumn: "created")),
                updated: StoreTime.date(try row.decode(forColumn: "updated")),
                model: try row.decode(forColumn: "model"),
                template: try row.decode(forColumn: "template"),
                messageCount: try row.decode(forColumn: "messageCount"),
                endsWithIncompleteReply: try row.decode(Bool?.self, forColumn: "endsIncomplete")
                    ?? false)
        }
    }
}
