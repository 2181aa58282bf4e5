import Foundation
import OctetInference
import OctetTokenizer

// MARK: - The prompt of a turn

/// The prompt before sending: what `ChatSession.preview` and `octet prompt` show.
public struct PromptPreview: Sendable, Equatable {
    /// The exact text the model gets.
    public var text: String
    /// Its token ids.
    public var tokens: [TokenID]
    /// How many of them the engine already has in its KV cache.
    public var cached: Int
    /// Earlier messages left out to fit the context window.
    public var droppedMessages: Int
    /// The context budget.
    public var contextLength: Int

    /// The prompt's length in tokens.
    public var tokenCount: Int { tokens.count }
}

/// Everything a turn sends, decided before generation starts.
struct PreparedTurn: Sendable {
    var prompt: FittedPrompt
    var cached: Int
    var request: GenerationRequest
    var template: String?
    var sampling: SamplingSettings
    var seed: UInt64
}

extension ChatSession {
    /// The prompt the next turn would send with `text` as the user's message (nil: the
    /// conversation as it is, ending with a generation prompt). Changes nothing. `cached`
    /// comes from the engine, which answers only between generations (the local one waits
    /// for a running reply to end): call it when idle.
    public func preview(_ text: String? = nil) throws -> PromptPreview {
        var messages = conversation.messages
        if let text { messages.append(Message(role: .user, content: text)) }
        let fitted = try fit(try plan(for: messages))
        return PromptPreview(
            text: fitted.text, tokens: fitted.tokens,
            cached: backend.cachedPrefixLength(of: fitted.tokens),
            droppedMessages: fitted.droppedMessages, contextLength: contextLength)
    }

    /// The prompt, request and bookkeeping for answering the conversation's last message.
    func prepareTurn() throws -> PreparedTurn {
        let prompt = try fit(try plan(for: conversation.messages))
        let sampling = conversation.sampling
        let seed = sampling.seedForNextReply
        let room = contextLength - prompt.tokens.count
        let request = GenerationRequest(
            prompt: prompt.tokens, maxTokens: max(0, min(sampling.maxTokens, room)),
            sampling: sampling.parameters(seed: seed), stopStrings: template?.stop ?? [],
            continuesPrompt: false)
        return PreparedTurn(
            prompt: prompt, cached: backend.cachedPrefixLength(of: prompt.tokens), request: request,
            template: template?.name, sampling: sampling, seed: seed)
    }

    private func fit(_ plan: PromptPlan) throws -> FittedPrompt {
        let format = self.format, bos = textBOS, eos = textEOS, backend = self.backend
        return try contextWindow.fit(
            plan, alreadyDropped: droppedTurns,
            render: { try format.render($0, bos: bos, eos: eos) },
            tokenize: { backend.tokenize($0) })
    }

    // MARK: - Messages as the model saw them

    /// The plan for answering the last of `messages` (a user message; when the last one is
    /// not, the conversation is rendered as it is, ending with the generation prompt).
    func plan(for messages: [Message]) throws -> PromptPlan {
        var earlier = messages[...]
        var input: String?
        if let last = messages.last, last.role == .user {
            input = last.content
            earlier = messages.dropLast()
        }
        return try PromptPlan.make(
            history: history(earlier), input: input, template: template,
            systemPrompt: conversation.systemPrompt, variables: variables)
    }

    /// Earlier messages as they were sent: each user message dressed by the template its
    /// reply records (`GenerationInfo.template`); a user message with no reply after it by
    /// the current template. A template that is gone, or cannot render, leaves the text as
    /// typed (the cache then misses from there on, nothing worse).
    private func history(_ messages: ArraySlice<Message>) -> [ChatMessage] {
        let list = Array(messages)
        return list.indices.map { index in
            let message = list[index]
            guard message.role == .user else { return message.chatMessage }
            let next = index + 1 < list.count ? list[index + 1] : nil
            let name: String?
            if let next, next.role == .assistant {
                name = next.generation?.template
            } else {
                name = template?.name
            }
            guard let name, let used = name == template?.name ? template : library[name],
                let text = try? used.render(input: message.content, variables: variables)
            else { return message.chatMessage }
            return .user(text)
        }
    }
}

// MARK: - Recording a reply

/// Collects a reply's text and numbers from the generation events; measures what the engine
/// did not report (a stream cut by cancellation ends without its `finished`).
struct ReplyRecorder {
    let turn: PreparedTurn
    let started = Date()
    private var text = ""
    private var tokens = 0
    private var firstToken: Date?
    private var stats: GenerationStats?

    init(turn: PreparedTurn) { self.turn = turn }

    /// Takes one event; returns the text it adds.
    mutating func record(_ event: GenerationEvent) -> String? {
        switch event {
        case .token(_, let piece):
            tokens += 1
            if firstToken == nil { firstToken = Date() }
            text += piece
            return piece
        case .finished(let piece, let finalStats):
            stats = finalStats
            text += piece
            return piece
        }
    }

    /// The reply as a message: complete unless it was cancelled.
    func message(model: String, modelHash: String?) -> Message {
        let now = Date()
        let reason = stats?.stopReason ?? .cancelled
        let ttft = firstToken.map { $0.timeIntervalSince(started) }
        let decodeSeconds = firstToken.map { now.timeIntervalSince($0) } ?? 0
        let measuredSpeed = tokens > 1 && decodeSeconds > 0 ? Double(tokens - 1) / decodeSeconds : 0
        let info = GenerationInfo(
            model: model, modelHash: modelHash, template: turn.template, sampling: turn.sampling,
            seed: turn.seed, promptTokens: stats?.promptTokens ?? turn.prompt.tokens.count,
            generatedTokens: stats?.generatedTokens ?? tokens,
            tokensPerSecond: stats?.tokensPerSecond ?? measuredSpeed,
            promptTokensPerSecond: stats?.promptTokensPerSecond,
            timeToFirstToken: stats?.timeToFirstToken ?? ttft, stopReason: reason.rawValue)
        return Message(
            role: .assistant, content: text, created: now, complete: reason != .cancelled,
            generation: info)
    }
}
