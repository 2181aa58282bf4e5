import Foundation
import GRDB
import OctetChat

/// One row of the `message` table: a `Message` and, for a reply, its `GenerationInfo`
/// flattened into columns (all NULL when there is none).
struct MessageRecord: FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "message"

    var id: Int64?
    var conversationId: Int64
    var role: Role
    var content: String
    /// Milliseconds since 1970 (`StoreTime`).
    var created: Int64
    var complete: Bool
    var generation: GenerationInfo?

    // MARK: - Chat values

    /// The row for `message` in conversation `conversationId`.
    init(_ message: Message, conversationId: Int64) {
        id = message.id
        self.conversationId = conversationId
        role = message.role
        content = message.content
        created = StoreTime.milliseconds(message.created)
        // Only replies can be incomplete (the schema's CHECK says so too).
        complete = message.role == .assistant ? message.complete : true
        generation = message.generation
    }

    /// The message this row describes.
    var message: Message {
        Message(
            id: id, role: role, content: content, created: StoreTime.date(created),
            complete: complete, generation: generation)
    }

    // MARK: - GRDB

    init(row: Row) throws {
        id = try row.decode(forColumn: "id")
        conversationId = try row.decode(forColumn: "conversationId")
        let roleName: String = try row.decode(forColumn: "role")
        guard let role = Role(rawValue: roleName) else {
            throw DatabaseError(message: "message \(id ?? 0): unknown role \(roleName)")
        }
        self.role = role
        content = try row.decode(forColumn: "content")
        created = try row.decode(forColumn: "created")
        complete = try row.decode(forColumn: "complete")
        generation = try Self.decodeGeneration(row)
    }

    func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["conversationId"] = conversationId
        container["role"] = role.rawValue
        container["content"] = content
        container["created"] = created
        container["complete"] = complete
        let info = generation
        container["model"] = info?.model
        container["modelHash"] = info?.modelHash
        container["template"] = info?.template
        SamplingColumns.encode(info?.sampling, to: &container)
        container["seed"] = info?.seed.map { Int64(bitPattern: $0) }
        container["promptTokens"] = info?.promptTokens
        container["generatedTokens"] = info?.generatedTokens
        container["tokensPerSecond"] = info?.tokensPerSecond
        container["promptTokensPerSecond"] = info?.promptTokensPerSecond
        container["timeToFirstToken"] = info?.timeToFirstToken
        container["stopReason"] = info?.stopReason
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// The generation columns as a value; nil when `model` is NULL (no generation).
    private static func decodeGeneration(_ row: Row) throws -> GenerationInfo? {
        guard let model: String = try row.decode(forColumn: "model") else { return nil }
        let seed: Int64? = try row.decode(forColumn: "seed")
        return GenerationInfo(
            model: model,
            modelHash: try row.decode(forColumn: "modelHash"),
            template: try row.decode(forColumn: "template"),
            sampling: try SamplingColumns.decode(row) ?? .default,
            seed: seed.map { UInt64(bitPattern: $0) },
            promptTokens: try row.decode(forColumn: "promptTokens") ?? 0,
            generatedTokens: try row.decode(forColumn: "generatedTokens") ?? 0,
            tokensPerSecond: try row.decode(forColumn: "tokensPerSecond") ?? 0,
            promptTokensPerSecond: try row.decode(forColumn: "promptTokensPerSecond"),
            timeToFirstToken: try row.decode(forColumn: "timeToFirstToken"),
            stopReason: try row.decode(forColumn: "stopReason"))
    }
}
