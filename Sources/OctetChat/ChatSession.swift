import Foundation
import OctetInference
import OctetTokenizer

// MARK: - A conversation with a model

/// One conversation with one model: each turn renders the whole conversation (prompt
/// template, system prompt, few-shot examples, chat format), keeps it inside the context
/// window, and streams the reply as `ChatEvent`s. The engine reuses its KV cache for the
/// prefix it already has, so a new turn reads only its new tokens (STYLE.md H8).
///
/// ```swift
/// let session = ChatSession(backend: backend, format: .chatmlSmolLM2, eos: "<|im_end|>")
/// for await event in await session.send("What is the capital of France?") {
///     if case .text(let piece) = event { print(piece, terminator: "") }
/// }
/// ```
///
/// `send` appends the user's message to `conversation` at once and the reply when it is
/// finished or cancelled (a cancelled reply keeps its text, `complete == false`). A turn that
/// fails before generating leaves the conversation as it was. One turn at a time.
public actor ChatSession {
    /// The conversation so far, with its settings (template name, system prompt, sampling).
    public private(set) var conversation: Conversation
    /// The engine.
    public nonisolated let backend: any ChatBackend
    /// The model's chat format.
    public private(set) var format: ChatFormat
    /// The model's BOS and EOS texts, for formats that write them.
    public let textBOS: String
    public let textEOS: String
    /// The prompt template of the next turn; nil = the user's text as it is.
    public private(set) var template: PromptTemplate?
    /// Where templates of earlier turns are looked up by name.
    public private(set) var library: TemplateLibrary
    /// Values for the template's variables (`--var`); defaults fill the rest.
    public var variables: [String: String]
    /// The context budget: the model's context length, or less when asked (`--ctx`).
    public let contextLength: Int

    /// Turns left out by the last turn: not brought back, so the prompt's prefix stays put.
    var droppedTurns = 0
    /// The running turn, if any.
    private var running: Task<Void, Never>?

    /// - Parameters:
    ///   - backend: the engine.
    ///   - format: the model's chat format (`ChatFormat.detect(template:)`).
    ///   - bos, eos: the model's BOS/EOS texts.
    ///   - conversation: the conversation to continue (a new one by default).
    ///   - template: the prompt template; default: the conversation's, looked up in `library`.
    ///   - library: the loaded templates, for `setTemplate(named:)` and earlier turns.
    ///   - variables: template variables.
    ///   - contextLength: a smaller budget than the model's context (`--ctx N`).
    public init(
        backend: any ChatBackend, format: ChatFormat, bos: String = "", eos: String = "",
        conversation: Conversation = Conversation(), template: PromptTemplate? = nil,
        library: TemplateLibrary = TemplateLibrary(), variables: [String: String] = [:],
        contextLength: Int? = nil
    ) {
        self.backend = backend
        self.format = format
        self.textBOS = bos
        self.textEOS = eos
        self.library = library
        self.variables = variables
        self.template = template ?? conversation.template.flatMap { library[$0] }
        self.contextLength = min(contextLength ?? backend.contextLength, backend.contextLength)
        var conversation = conversation
        conversation.model = conversation.model ?? backend.modelName
        conversation.chatFormat = format.name
        conversation.template = self.template?.name
        self.conversation = conversation
    }

    /// The context window of the next turn (budget and the room kept for the reply).
    public var contextWindow: ContextWindow {
        ContextWindow(budget: contextLength, maxTokens: conversation.sampling.maxTokens)
    }

    /// Whether a reply is being generated.
    public var isGenerating: Bool { running != nil }

    // MARK: - Turns

    /// Sends `text` as the user's next message and streams the reply: `prompt`, maybe
    /// `contextTrimmed`, `text` pieces, then one of `finished`, `cancelled`, `failed`.
    /// Cancelling the task that reads the stream, or `cancel()`, stops the reply.
    public func send(_ text: String) -> AsyncStream<ChatEvent> {
        guard running == nil else { return Self.failing(ChatError.turnInProgress) }
        conversation.messages.append(Message(role: .user, content: text))
        return start(undo: .removeLastMessage)
    }

    /// Generates the last reply again (a fresh seed unless the settings fix one): the last
    /// assistant message is replaced by the new one.
    public func retry() -> AsyncStream<ChatEvent> {
        guard running == nil else { return Self.failing(ChatError.turnInProgress) }
        var undo = Undo.nothing
        if let last = conversation.messages.last, last.role == .assistant {
            conversation.messages.removeLast()
            undo = .restore(last)
        }
        guard conversation.messages.last?.role == .user else {
            if case .restore(let reply) = undo { conversation.messages.append(reply) }
            return Self.failing(ChatError.nothingToRetry)
        }
        return start(undo: undo)
    }

    /// Stops the running reply; its text so far is kept and reported as `cancelled`.
    public func cancel() { running?.cancel() }

    /// What to put back when a turn fails before it generates.
    enum Undo: Sendable {
        case nothing
        case removeLastMessage
        case restore(Message)
    }

    private func start(undo: Undo) -> AsyncStream<ChatEvent> {
        let (stream, continuation) = AsyncStream<ChatEvent>.makeStream()
        let task = Task { await self.run(continuation, undo: undo) }
        running = task
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private static func failing(_ error: Error) -> AsyncStream<ChatEvent> {
        AsyncStream { continuation in
            continuation.yield(.failed(ChatSession.describe(error)))
            continuation.finish()
        }
    }

    /// One line for the user.
    static func describe(_ error: Error) -> String {
        String(describing: error)
    }

    // MARK: - Running a turn

    private func run(_ out: AsyncStream<ChatEvent>.Continuation, undo: Undo) async {
        defer {
            running = nil
            out.finish()
        }
        let turn: PreparedTurn
        let events: AsyncStream<GenerationEvent>
        do {
            turn = try prepareTurn()
            out.yield(.prompt(tokens: turn.prompt.tokens.count, cached: turn.cached, contextLength: contextLength))
            if turn.prompt.droppedMessages > 0 {
                out.yield(.contextTrimmed(droppedMessages: turn.prompt.droppedMessages))
            }
            events = try backend.generate(turn.request)
        } catch {
            revert(undo)
            out.yield(.failed(Self.describe(error)))
            return
        }
        droppedTurns = turn.prompt.droppedTurns
        var reply = ReplyRecorder(turn: turn)
        for await event in events {
            if let piece = reply.record(event), !piece.isEmpty { out.yield(.text(piece)) }
        }
        let message = reply.message(model: backend.modelName, modelHash: backend.modelHash)
        conversation.messages.append(message)
        conversation.updated = message.created
        out.yield(message.complete ? .finished(message) : .cancelled(message))
    }

    private func revert(_ undo: Undo) {
        switch undo {
        case .nothing: break
        case .removeLastMessage: conversation.messages.removeLast()
        case .restore(let reply): conversation.messages.append(reply)
        }
    }

    // MARK: - Settings

    /// Uses `template` from the next turn on (nil = none). Earlier turns keep the template
    /// they were sent with. With `applyingSamplingDefaults`, the template's sampling values
    /// replace the conversation's.
    public func setTemplate(_ template: PromptTemplate?, applyingSamplingDefaults: Bool = true) {
        self.template = template
        conversation.template = template?.name
        if applyingSamplingDefaults, let template {
            conversation.sampling = template.sampling.applied(to: conversation.sampling)
        }
        droppedTurns = 0
    }

    /// `setTemplate` by name, from `library`.
    /// - Throws: `ChatError.unknownTemplate` (or the file's own problem).
    public func setTemplate(named name: String) throws {
        setTemplate(try library.template(named: name))
    }

    /// Replaces the system prompt from the next turn on (nil = the template's, or the model's
    /// default). The whole conversation is rendered under the new one.
    public func setSystemPrompt(_ text: String?) {
        conversation.systemPrompt = text
        droppedTurns = 0
    }

    /// The sampling settings of the next replies.
    public func setSampling(_ sampling: SamplingSettings) { conversation.sampling = sampling }

    /// Template variables of the next turns.
    public func setVariables(_ values: [String: String]) { variables = values }

    /// Continues another conversation (resume, new): its template is looked up by name.
    public func replaceConversation(_ other: Conversation) {
        var other = other
        other.chatFormat = format.name
        other.model = other.model ?? backend.modelName
        template = other.template.flatMap { library[$0] }
        other.template = template?.name
        conversation = other
        droppedTurns = 0
    }
}
