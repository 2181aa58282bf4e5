import XCTest
import OctetInference
@testable import OctetChat

/// ChatSession on the real default model (issue 5, acceptance 4 and 5). Short replies keep
/// `make test` fast; the engine layers are built with -O even in debug builds.
final class LocalBackendTests: XCTestCase {
    /// One model for the whole class: loading requantizes 135M weights.
    static let model = Result { try LanguageModel.load(path: Fixtures.defaultModelPath) }

    private func backend(contextLength: Int? = nil) throws -> RecordingBackend {
        RecordingBackend(try LocalBackend(model: try Self.model.get(), contextLength: contextLength))
    }

    private func greedy(maxTokens: Int) -> SamplingSettings {
        var settings = SamplingSettings.default
        settings.temperature = 0
        settings.maxTokens = maxTokens
        return settings
    }

    private func session(_ backend: RecordingBackend, maxTokens: Int, conversation: Conversation = Conversation())
        -> ChatSession
    {
        var conversation = conversation
        conversation.sampling = greedy(maxTokens: maxTokens)
        let local = backend.inner
        let format = local.chatFormat.format
        XCTAssertEqual(format, .chatmlSmolLM2)
        return ChatSession(
            backend: backend, format: format, bos: local.textBOS, eos: local.textEOS,
            conversation: conversation)
    }

    func testAReplyFromTheRealModel() async throws {
        let recording = try backend()
        let chat = session(recording, maxTokens: 12)
        let events = await collect(await chat.send("What is the capital of France?"))
        guard case .prompt(let tokens, _, let context) = events.first else { return XCTFail("\(events)") }
        XCTAssertEqual(tokens, 37, "forward_cases.json chat_capital_france has 37 prompt ids")
        XCTAssertEqual(context, 8192)
        guard case .finished(let reply) = events.last else { return XCTFail("\(events)") }
        XCTAssertFalse(reply.content.isEmpty)
        XCTAssertEqual(reply.generation?.model, "SmolLM2-135M-Instruct.Q4_1.gguf")
        XCTAssertGreaterThan(reply.generation?.generatedTokens ?? 0, 0)
        let pieces = events.compactMap { event -> String? in
            if case .text(let piece) = event { return piece }
            return nil
        }
        XCTAssertEqual(pieces.joined(), reply.content)
    }

    /// Acceptance 4: a 10-turn conversation of about 1,500 tokens; from turn 2 on, each turn
    /// prefills only what the KV cache does not hold: its new message (and the end of the
    /// previous reply), never the conversation again.
    func testTenTurnsPrefillOnlyTheirNewTokens() async throws {
        let recording = try backend()
        let chat = session(recording, maxTokens: 8)
        var ttft: [Double] = []
        for turn in 1...10 {
            let message = "Turn \(turn). " + Self.paragraph(sentences: 11, seed: turn) + " Answer in one word."
            let events = await collect(await chat.send(message))
            guard case .finished = events.last else { return XCTFail("turn \(turn): \(events)") }
            ttft.append(recording.stats.last?.timeToFirstToken ?? 0)
        }
        let stats = recording.stats
        XCTAssertEqual(stats.count, 10)
        let total = stats.last!.promptTokens
        XCTAssertGreaterThan(total, 1200, "about 1,500 tokens")
        XCTAssertLessThan(total, 2200)
        for turn in 1..<10 {
            let previous = stats[turn - 1], now = stats[turn]
            let newMessage = recording.requests[turn].prompt.count - recording.requests[turn - 1].prompt.count
                - previous.generatedTokens
            XCTAssertGreaterThan(now.promptTokens - now.prefilledTokens, previous.promptTokens,
                                 "turn \(turn + 1) reuses the whole earlier prompt")
            XCTAssertLessThanOrEqual(now.prefilledTokens, newMessage + 2,
                                     "turn \(turn + 1) prefills its new tokens only")
        }
        let line = ttft.enumerated().map { String(format: "%d:%.3fs", $0.offset + 1, $0.element) }
        print("time to first token per turn: \(line.joined(separator: " "))")
        print("prefilled per turn: \(stats.map(\.prefilledTokens)), prompt tokens: \(stats.map(\.promptTokens))")
    }

    /// Acceptance 5: a 20,000-token conversation in a 2,048-token context keeps working,
    /// reports what it leaves out, and never sends more than the budget.
    func testATwentyThousandTokenConversationInA2048Context() async throws {
        let recording = try backend(contextLength: 2048)
        var history: [Message] = []
        for turn in 0..<100 {
            history.append(Message(role: .user, content: "Question \(turn): " + Self.paragraph(sentences: 9, seed: turn)))
            history.append(Message(role: .assistant, content: "Reply \(turn): " + Self.paragraph(sentences: 9, seed: turn + 500)))
        }
        let chat = session(recording, maxTokens: 16, conversation: Conversation(messages: history))
        let all = try await chat.preview()
        XCTAssertGreaterThan(
            recording.inner.tokenize(try ChatFormat.chatmlSmolLM2.render(history.map(\.chatMessage))).count, 20_000)
        XCTAssertLessThanOrEqual(all.tokenCount, 2048)
        var dropped: [Int] = []
        for turn in 0..<3 {
            let events = await collect(await chat.send("Now summarize turn \(turn) in one word."))
            guard case .finished = events.last else { return XCTFail("\(events)") }
            for case .contextTrimmed(let count) in events { dropped.append(count) }
            for case .prompt(let tokens, _, let context) in events {
                XCTAssertEqual(context, 2048)
                XCTAssertLessThanOrEqual(tokens, ContextWindow(budget: 2048, maxTokens: 16).promptLimit)
            }
        }
        XCTAssertEqual(dropped.count, 3, "a notice on every turn")
        XCTAssertTrue(dropped.allSatisfy { $0 > 150 }, "\(dropped)")
        for (request, stats) in zip(recording.requests, recording.stats) {
            XCTAssertLessThanOrEqual(request.prompt.count + request.maxTokens, 2048)
            XCTAssertLessThanOrEqual(stats.promptTokens + stats.generatedTokens, 2048)
        }
        print("dropped messages per turn: \(dropped), prompt tokens: \(recording.stats.map(\.promptTokens)), "
              + "prefilled: \(recording.stats.map(\.prefilledTokens))")
    }

    // MARK: - Synthetic text

    private static let words = [
        "river", "mountain", "quiet", "village", "morning", "library", "garden", "window", "bright",
        "ancient", "travel", "letter", "music", "harbor", "winter", "summer", "forest", "candle",
        "market", "bridge", "story", "careful", "golden", "distant", "friend", "silver", "cloud",
    ]

    /// Sentences of plain English words, different for each seed.
    static func paragraph(sentences: Int, seed: Int) -> String {
        var state = UInt64(seed &+ 1) &* 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return Int((state &* 0x2545_F491_4F6C_DD1D) >> 33)
        }
        return (0..<sentences).map { _ in
            let sentence = (0..<10).map { _ in words[next() % words.count] }.joined(separator: " ")
            return sentence.prefix(1).uppercased() + sentence.dropFirst() + "."
        }.joined(separator: " ")
    }
}

/// Passes everything to a backend and records the requests and the final stats.
final class RecordingBackend: ChatBackend, @unchecked Sendable {
    let inner: LocalBackend
    private let lock = NSLock()
    private var recordedRequests: [GenerationRequest] = []
    private var recordedStats: [GenerationStats] = []

    init(_ inner: LocalBackend) { self.inner = inner }

    var requests: [GenerationRequest] { lock.withLock { recordedRequests } }
    var stats: [GenerationStats] { lock.withLock { recordedStats } }
    var modelName: String { inner.modelName }
    var contextLength: Int { inner.contextLength }
    func tokenize(_ text: String) -> [Int] { inner.tokenize(text) }
    func cachedPrefixLength(of tokens: [Int]) -> Int { inner.cachedPrefixLength(of: tokens) }

    func generate(_ request: GenerationRequest) throws -> AsyncStream<GenerationEvent> {
        let events = try inner.generate(request)
        lock.withLock { recordedRequests.append(request) }
        return AsyncStream { continuation in
            let task = Task {
                for await event in events {
                    if case .finished(_, let stats) = event { self.lock.withLock { self.recordedStats.append(stats) } }
                    continuation.yield(event)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
