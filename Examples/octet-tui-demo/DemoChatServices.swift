import Foundation
import OctetChat
import OctetTUI

/// A stand-in for Octet's real services, for trying the chat screen by hand and in tmux
/// without a model: replies are made up from the question and streamed at a set speed;
/// conversations live in a JSON file so that `--resume` works across runs.
final class DemoChatServices: ChatServices, @unchecked Sendable {
    let lock = NSLock()
    private var state = DemoState()
    private var cancelled = false
    private let storePath: String?
    let tokenDelay: Double
    let loadSeconds: Double
    let replyWords: Int

    init(storePath: String?, tokenDelay: Double, loadSeconds: Double, replyWords: Int) {
        self.storePath = storePath
        self.tokenDelay = tokenDelay
        self.loadSeconds = loadSeconds
        self.replyWords = replyWords
        load()
    }

    // MARK: - The store file

    struct DemoState: Codable {
        var conversations: [Int64: Conversation] = [:]
        var nextID: Int64 = 1
        var nextMessageID: Int64 = 1

        mutating func takeID() -> Int64 {
            defer { nextID += 1 }
            return nextID
        }
        mutating func takeMessageID() -> Int64 {
            defer { nextMessageID += 1 }
            return nextMessageID
        }
    }

    private func load() {
        guard let storePath, let data = FileManager.default.contents(atPath: storePath),
            let decoded = try? JSONDecoder().decode(DemoState.self, from: data)
        else { return }
        state = decoded
    }

    /// Applies `body` to the store and writes the file.
    func change<T>(_ body: (inout DemoState) throws -> T) throws -> T {
        try lock.withLock {
            let result = try body(&state)
            if let storePath {
                try JSONEncoder().encode(state).write(to: URL(fileURLWithPath: storePath))
            }
            return result
        }
    }

    func read<T>(_ body: (DemoState) -> T) -> T {
        lock.withLock { body(state) }
    }

    // MARK: - Model

    func modelStatus() -> AsyncStream<ModelStatus> {
        let seconds = loadSeconds
        return AsyncStream { continuation in
            Task {
                let steps = 10
                for step in 0..<steps where seconds > 0 {
                    continuation.yield(
                        .loading(fraction: Double(step) / Double(steps), detail: "requantizing"))
                    try? await Task.sleep(nanoseconds: UInt64(seconds / Double(steps) * 1e9))
                }
                continuation.yield(.ready(name: "demo-model", contextLength: 8192))
                continuation.finish()
            }
        }
    }

    // MARK: - Turns

    func startTurn(for conversation: Conversation) -> AsyncStream<ChatEvent> {
        lock.withLock { cancelled = false }
        let question = conversation.messages.last?.content ?? ""
        let pieces = DemoReply.pieces(
            for: question, template: conversation.template, words: replyWords)
        let delay = tokenDelay
        let promptTokens = conversation.messages.reduce(0) {
            $0 + $1.content.split(separator: " ").count + 4
        }
        return AsyncStream { continuation in
            Task {
                continuation.yield(.prompt(tokens: promptTokens, cached: 0, contextLength: 8192))
                var text = ""
                let started = Date()
                for (count, piece) in pieces.enumerated() {
                    if self.lock.withLock({ self.cancelled }) {
                        continuation.yield(
                            .cancelled(self.reply(text, conversation, count, started, "cancelled")))
                        continuation.finish()
                        return
                    }
                    try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                    text += piece
                    continuation.yield(.text(piece))
                }
                continuation.yield(
                    .finished(self.reply(text, conversation, pieces.count, started, "eos")))
                continuation.finish()
            }
        }
    }

    private func reply(
        _ text: String, _ conversation: Conversation, _ count: Int, _ started: Date,
        _ reason: String
    ) -> Message {
        let seconds = max(0.001, Date().timeIntervalSince(started))
        let info = GenerationInfo(
            model: "demo-model", template: conversation.template, sampling: conversation.sampling,
            promptTokens: 10, generatedTokens: count, tokensPerSecond: Double(count) / seconds,
            stopReason: reason)
        return Message(role: .assistant, content: text, complete: reason == "eos", generation: info)
    }

    func cancelTurn() {
        lock.withLock { cancelled = true }
    }
}
