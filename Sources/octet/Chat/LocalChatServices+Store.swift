import Foundation
import OctetChat
import OctetStore
import OctetTUI

// MARK: - The conversation database

extension LocalChatServices {
    func createConversation(_ conversation: Conversation) async throws -> Conversation {
        try database.createConversation(conversation)
    }

    func updateConversation(_ conversation: Conversation) async throws {
        guard let id = conversation.id else { return }
        try database.updateSettings(of: conversation)
        let title = conversation.title.trimmingCharacters(in: .whitespacesAndNewlines)
        if !title.isEmpty, try database.loadConversation(id: id).title != title {
            try database.renameConversation(id: id, to: title)
        }
    }

    /// A new message is committed at once; a reply already stored is overwritten: its text
    /// while it streams, then its text and what produced it once it has a stop reason. Once
    /// a finished reply is stored, the engine's KV cache is saved (in the background).
    func saveMessage(_ message: Message, conversationID: Int64) async throws -> Message {
        let finished = message.complete || message.generation?.stopReason != nil
        let stored: Message
        if let id = message.id {
            guard finished else {
                try database.updateReply(id, content: message.content)
                return message
            }
            stored = try database.finishReply(
                id, content: message.content, generation: message.generation, complete: message.complete)
        } else {
            stored = try database.appendMessage(message, to: conversationID)
        }
        if finished, message.role == .assistant { saveKVCache() }
        return stored
    }

    func deleteMessage(id: Int64, conversationID: Int64) async throws {
        try database.deleteMessage(id)
    }

    func loadConversation(id: Int64) async throws -> Conversation {
        try database.loadConversation(id: id)
    }

    func mostRecentConversation() async throws -> Conversation? {
        try database.latestConversationID().map { try database.loadConversation(id: $0) }
    }

    func listConversations(limit: Int) async throws -> [OctetTUI.ConversationSummary] {
        try database.listConversations(limit: limit).map {
            OctetTUI.ConversationSummary(id: $0.id, title: $0.title, updated: $0.updated, messageCount: $0.messageCount)
        }
    }

    /// The store's full-text search, one row per conversation with its best snippet.
    func searchConversations(_ query: String, limit: Int) async throws -> [OctetTUI.ConversationSummary] {
        let counts = Dictionary(
            try database.listConversations().map { ($0.id, $0.messageCount) }, uniquingKeysWith: { a, _ in a })
        return try database.search(query, limit: limit).map {
            OctetTUI.ConversationSummary(
                id: $0.conversationID, title: $0.title, updated: $0.updated,
                messageCount: counts[$0.conversationID] ?? 0, snippet: $0.snippet)
        }
    }

    func renameConversation(id: Int64, title: String) async throws {
        try database.renameConversation(id: id, to: title)
    }

    func deleteConversation(id: Int64) async throws {
        try database.deleteConversation(id: id)
    }
}
