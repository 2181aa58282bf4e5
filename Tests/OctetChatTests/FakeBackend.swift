import Foundation
import OctetInference
import OctetTokenizer
@testable import OctetChat

/// A scripted engine: one token per Unicode scalar (id = the scalar's value), a KV cache
/// that holds the last prompt plus its reply, and replies taken from a script. It records
/// every request and how many prompt tokens each had to prefill.
final class FakeBackend: ChatBackend, @unchecked Sendable {
    let modelName = "fake.gguf"
    let contextLength: Int
    private let lock = NSLock()
    private var cache: [TokenID] = []
    private var script: [[String]]
    /// Pause between tokens, so a test can cancel mid-reply.
    var tokenDelay: Duration = .zero
    private(set) var requests: [GenerationRequest] = []
    private(set) var prefilled: [Int] = []
    /// Thrown by the next `generate`, once.
    var failNext: Error?

    /// - Parameter replies: each reply as its token texts; used in order, the last repeats.
    init(contextLength: Int = 4096, replies: [[String]] = [["Hi", "!"]]) {
        self.contextLength = contextLength
        self.script = replies
    }

    func tokenize(_ text: String) -> [TokenID] { text.unicodeScalars.map { Int($0.value) } }

    func cachedPrefixLength(of tokens: [TokenID]) -> Int {
        lock.withLock {
            var n = 0
            while n < cache.count, n < tokens.count, cache[n] == tokens[n] { n += 1 }
            return n
        }
    }

    func generate(_ request: GenerationRequest) throws -> AsyncStream<GenerationEvent> {
        if let error = failNext {
            failNext = nil
            throw error
        }
        let cached = cachedPrefixLength(of: request.prompt)
        let pieces: [String] = lock.withLock {
            requests.append(request)
            prefilled.append(request.prompt.count - cached)
            cache = request.prompt
            return script.count > 1 ? script.removeFirst() : script.first ?? []
        }
        let delay = tokenDelay
        return AsyncStream { continuation in
            let task = Task {
                var generated = 0
                for piece in pieces.prefix(request.maxTokens) {
                    if delay > .zero { try? await Task.sleep(for: delay) }
                    if Task.isCancelled { break }
                    self.appendToCache(self.tokenize(piece))
                    generated += 1
                    continuation.yield(.token(id: generated, text: piece))
                }
                let reason: StopReason = Task.isCancelled ? .cancelled
                    : generated < pieces.count ? .length : .eos
                continuation.yield(.finished(text: "", stats: GenerationStats(
                    promptTokens: request.prompt.count, prefilledTokens: request.prompt.count - cached,
                    promptTokensPerSecond: 1000, generatedTokens: generated, tokensPerSecond: 50,
                    timeToFirstToken: 0.01, stopReason: reason)))
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func appendToCache(_ ids: [TokenID]) { lock.withLock { cache += ids } }
}

/// All events of one turn.
func collect(_ stream: AsyncStream<ChatEvent>) async -> [ChatEvent] {
    var events: [ChatEvent] = []
    for await event in stream { events.append(event) }
    return events
}
