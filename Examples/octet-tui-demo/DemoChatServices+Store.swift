import Foundation
import OctetChat
import OctetTUI

/// The demo's conversation store: a dictionary, written to a JSON file after each change.
extension DemoChatServices {
    func createConversation(_ conversation: Conversation) async throws -> Conversation {
        try change { state in
            var stored = conversation
            stored.id = state.takeID()
            stored.messages = stored.messages.map {
                var m = $0
                m.id = state.takeMessageID()
                return m
            }
            state.conversations[stored.id!] = stored
            return stored
        }
    }

    func updateConversation(_ conversation: Conversation) async throws {
        try change { state in
            guard let id = conversation.id, var stored = state.conversations[id] else {
                throw DemoError("no conversation")
            }
            stored.title = conversation.title
            stored.template = conversation.template
            stored.systemPrompt = conversation.systemPrompt
            stored.sampling = conversation.sampling
            state.conversations[id] = stored
        }
    }

    func saveMessage(_ message: Message, conversationID: Int64) async throws -> Message {
        try change { state in
            guard var stored = state.conversations[conversationID] else {
                throw DemoError("no conversation \(conversationID)")
            }
            var saved = message
            if let id = message.id, let index = stored.messages.firstIndex(where: { $0.id == id }) {
                stored.messages[index] = saved
            } else {
                saved.id = state.takeMessageID()
                stored.messages.append(saved)
            }
            stored.updated = Date()
            state.conversations[conversationID] = stored
            return saved
        }
    }

    func deleteMessage(id: Int64, conversationID: Int64) async throws {
        try change { state in
            state.conversations[conversationID]?.messages.removeAll { $0.id == id }
        }
    }

    func loadConversation(id: Int64) async throws -> Conversation {
        guard let found = read({ $0.conversations[id] }) else {
            throw DemoError("no conversation with id \(id)")
        }
        return found
    }

    func mostRecentConversation() async throws -> Conversation? {
        read { $0.conversations.values.max { $0.updated < $1.updated } }
    }

    func listConversations(limit: Int) async throws -> [ConversationSummary] {
        read { state in
            state.conversations.values.sorted { $0.updated > $1.updated }.prefix(limit).map(
                Self.summary)
        }
    }

    func searchConversations(_ query: String, limit: Int) async throws -> [ConversationSummary] {
        read { state in
            state.conversations.values.filter { conversation in
                conversation.title.localizedCaseInsensitiveContains(query)
                    || conversation.messages.contains {
                        $0.content.localizedCaseInsensitiveContains(query)
                    }
            }.sorted { $0.updated > $1.updated }.prefix(limit).map(Self.summary)
        }
    }

    func renameConversation(id: Int64, title: String) async throws {
        try change { state in state.conversations[id]?.title = title }
    }

    func deleteConversation(id: Int64) async throws {
        try change { state in state.conversations[id] = nil }
    }

    static func summary(_ c: Conversation) -> ConversationSummary {
        ConversationSummary(
            id: c.id ?? 0, title: c.title, updated: c.updated, messageCount: c.messages.count)
    }

    // MARK: - Templates and export

    func templates() async throws -> [TemplateSummary] {
        [
            TemplateSummary(name: "zero-shot", description: "Your question as it is."),
            TemplateSummary(name: "few-shot", description: "Worked examples before your question."),
            TemplateSummary(
                name: "chain-of-thought", description: "Reason step by step, then answer.",
                answerMarker: "Answer:"),
            TemplateSummary(name: "translate", description: "Translate into English."),
        ]
    }

    func previewTemplate(named name: String, conversation: Conversation, input: String) async throws
        -> TemplatePreview
    {
        let text =
            "<|im_start|>system\nYou are a helpful assistant (\(name)).<|im_end|>\n<|im_start|>user\n\(input.isEmpty ? "{{input}}" : input)<|im_end|>\n<|im_start|>assistant\n"
        return TemplatePreview(
            text: text, tokenCount: text.split(whereSeparator: \.isWhitespace).count + 6)
    }

    func export(_ conversation: Conversation, format: ExportFormat) throws -> String {
        conversation.messages.map { "## \($0.role.rawValue)\n\n\($0.content)\n" }.joined(
            separator: "\n")
    }
}

struct DemoError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
