import Foundation
import GRDB
import OctetChat

/// One row of the `conversation` table. Chat's `Conversation` stays free of GRDB: this record
/// maps to and from it (GRDB `RecordRecommendedPractices.md`).
struct ConversationRecord: FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "conversation"

    var id: Int64?
    var title: String
    /// Milliseconds since 1970 (`StoreTime`).
    var created: Int64
    var updated: Int64
    var model: String?
    var chatFormat: String?
    var template: String?
    var systemPrompt: String?
    var sampling: SamplingSettings

    // MARK: - Chat values

    /// The row for `conversation`'s settings (its messages are separate records).
    init(_ conversation: Conversation) {
        id = conversation.id
        title = conversation.title
        created = StoreTime.milliseconds(conversation.created)
        updated = StoreTime.milliseconds(conversation.updated)
        model = conversation.model
        chatFormat = conversation.chatFormat
        template = conversation.template
        systemPrompt = conversation.systemPrompt
        sampling = conversation.sampling
    }

    /// The conversation this row describes, with `messages`.
    func conversation(messages: [Message]) -> Conversation {
        Conversation(
            id: id, title: title, created: StoreTime.date(created),
            updated: StoreTime.date(updated), model: model, chatFormat: chatFormat,
            template: template, systemPrompt: systemPrompt, sampling: sampling,
            messages: messages)
    }

    // MARK: - GRDB

    init(row: Row) throws {
        id = try row.decode(forColumn: "id")
        title = try row.decode(forColumn: "title")
        created = try row.decode(forColumn: "created")
        updated = try row.decode(forColumn: "updated")
        model = try row.decode(forColumn: "model")
        chatFormat = try row.decode(forColumn: "chatFormat")
        template = try row.decode(forColumn: "template")
        systemPrompt = try row.decode(forColumn: "systemPrompt")
        sampling = try SamplingColumns.decode(row) ?? .default
    }

    func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["title"] = title
        container["created"] = created
        container["updated"] = updated
        container["model"] = model
        container["chatFormat"] = chatFormat
        container["template"] = template
        container["systemPrompt"] = systemPrompt
        SamplingColumns.encode(sampling, to: &container)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
