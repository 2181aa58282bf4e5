import Foundation
import OctetChat

@testable import OctetTUI

/// Services for runtime tests: replies are scripted pieces streamed with a delay; every call
/// that writes is recorded so tests can check what reached the "store".
final class FakeChatServices: ChatServices, @unchecked Sendable {
    private let lock = NSLock()
    var replyPieces: [String]
    var pieceDelay: Double
    private var stop = false
    private var nextID: Int64 = 100
    private(set) var stored: [Int64: Conversation] = [:]
    private(set) var calls: [String] = []

    init(replyPieces: [String] = ["Hello ", "from ", "the ", "model."], pieceDelay: Double = 0.01) {
        self.replyPieces = replyPieces
        self.pieceDelay = pieceDelay
    }

    private func record(_ call: String) { lock.withLock { calls.append(call) } }
    private func takeID() -> Int64 { lock.withLock { nextID += 1; return nextID } }

    func modelStatus() -> AsyncStream<ModelStatus> {
        AsyncStream { continuation in
            continuation.yield(.loading(fraction: 0.5, detail: "reading"))
            continuation.yield(.ready(name: "fake-model", contextLength: 4096))
            continuation.finish()
        }
    }

    func startTurn(for conversation: Conversation) -> AsyncStream<ChatEvent> {
        record("startTurn \(conversation.id.map(String.init) ?? "nil") \(conversation.messages.count)")
        lock.withLock { stop = false }
        let pieces = replyPieces, delay = pieceDelay
        return AsyncStream { continuation in
            Task {
                continuation.yield(.prompt(tokens: 12, cached: 0, contextLength: 4096))
                var text = ""
                for piece in pieces {
                    if self.lock.withLock({ self.stop }) {
                        continuation.yield(.cancelled(Message(role: .assistant, content: text, complete: false)))
                        continuation.finish()
                        return
                    }
                    try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                    text += piece
                    continuation.yield(.text(piece))
                }
                let info = GenerationInfo(model: "fake-model", promptTokens: 12, generatedTokens: pieces.count, tokensPerSecond: 50)
                continuation.yield(.finished(Message(role: .assistant, content: text, generation: info)))
                continuation.finish()
            }
        }
    }

    func cancelTurn() {
        record("cancelTurn")
        lock.withLock { stop = true }
    }

    func createConversation(_ conversation: Conversation) async throws -> Conversation {
        var copy = conversation
        copy.id = takeID()
        copy.messages = copy.messages.map { var m = $0; m.id = takeID(); return m }
        lock.withLock { stored[copy.id!] = copy }
        record("create \(copy.id!)")
        return copy
    }

    func updateConversation(_ conversation: Conversation) async throws { record("update \(conversation.id!)") }

    func saveMessage(_ message: Message, conversationID: Int64) async throws -> Message {
        var copy = message
        if copy.id == nil { copy.id = takeID() }
        lock.withLock {
            var conversation = stored[conversationID]!
            if let i = conversation.messages.firstIndex(where: { $0.id == copy.id }) {
                conversation.messages[i] = copy
            } else {
                conversation.messages.append(copy)
            }
            stored[conversationID] = conversation
        }
        record("save \(copy.role.rawValue) \(copy.complete)")
        return copy
    }

    func deleteMessage(id: Int64, conversationID: Int64) async throws { record("deleteMessage \(id)") }
    func loadConversation(id: Int64) async throws -> Conversation {
        guard let found = lock.withLock({ stored[id] }) else { throw StoreLikeError() }
        return found
    }
    func mostRecentConversation() async throws -> Conversation? { lock.withLock { stored.values.max { $0.id! < $1.id! } } }
    func listConversations(limit: Int) async throws -> [ConversationSummary] { [] }
    func searchConversations(_ query: String, limit: Int) async throws -> [ConversationSummary] { [] }
    func renameConversation(id: Int64, title: String) async throws { record("rename \(id)") }
    func deleteConversation(id: Int64) async throws { record("delete \(id)") }
    func templates() async throws -> [TemplateSummary] { [TemplateSummary(name: "zero-shot", description: "as is")] }
    func previewTemplate(named name: String, conversation: Conversation, input: String) async throws -> TemplatePreview {
        TemplatePreview(text: input, tokenCount: 1)
    }
    func export(_ conversation: Conversation, format: ExportFormat) throws -> String { "exported" }

    struct StoreLikeError: Error, CustomStringConvertible { var description: String { "no such conversation" } }
}
