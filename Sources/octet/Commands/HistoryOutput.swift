import Foundation
import OctetChat
import OctetStore

/// What the history commands print: the JSON objects of `list --json` and `search --json`
/// (DESIGN.md: at least `id`, `title`, `updated`; search adds `snippet`) and text columns.
enum HistoryOutput {
    /// One conversation of `list --json`.
    static func object(_ summary: ConversationSummary) -> [String: JSONValue] {
        [
            "id": .int(summary.id), "title": .string(summary.title),
            "created": .string(Transcript.iso8601(summary.created)),
            "updated": .string(Transcript.iso8601(summary.updated)),
            "model": summary.model.map(JSONValue.string) ?? .null,
            "template": summary.template.map(JSONValue.string) ?? .null,
            "messages": .int(Int64(summary.messageCount)),
            "interrupted": .bool(summary.endsWithIncompleteReply),
        ]
    }

    /// One conversation of `search --json`: the snippet has the matched words in [brackets].
    static func object(_ hit: SearchHit) -> [String: JSONValue] {
        [
            "id": .int(hit.conversationID), "title": .string(hit.title),
            "updated": .string(Transcript.iso8601(hit.updated)),
            "snippet": .string(hit.markedSnippet()),
            "message_id": .int(hit.messageID), "role": .string(hit.role.rawValue),
            "rank": .double(hit.rank),
        ]
    }

    /// Prints a JSON array of objects, keys sorted, one line.
    static func printJSON(_ objects: [[String: JSONValue]]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        FileHandle.standardOutput.write(
            TerminalOutput.json(try encoder.encode(objects)) + Data("\n".utf8))
    }

    /// An id right-aligned in five columns.
    static func padded(_ id: Int64) -> String {
        let text = String(id)
        return String(repeating: " ", count: max(0, 5 - text.count)) + text
    }

    /// `2025-05-01 11:30` in the local time zone.
    static func localTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}

/// The few JSON value kinds the history commands print.
enum JSONValue: Encodable {
    case int(Int64), double(Double), string(String), bool(Bool), null

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }
}
