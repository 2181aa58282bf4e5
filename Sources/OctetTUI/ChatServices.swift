import Foundation
import OctetChat

// MARK: - Values the chat screen exchanges with the outside world

/// One line of the conversation list (F3): enough to show and pick a conversation.
public struct ConversationSummary: Equatable, Sendable, Identifiable {
    public var id: Int64
    public var title: String
    public var updated: Date
    public var messageCount: Int
    /// For search results: the matching text, if the store gives one.
    public var snippet: String?

    public init(id: Int64, title: String, updated: Date, messageCount: Int, snippet: String? = nil)
    {
        self.id = id
        self.title = title
        self.updated = updated
        self.messageCount = messageCount
        self.snippet = snippet
    }
}

/// A prompt template as the picker (F2) lists it.
public struct TemplateSummary: Equatable, Sendable {
    public var name: String
    public var description: String
    /// For templates that make the model reason before answering (chain-of-thought): the
    /// text that starts the final answer (e.g. "Answer:"). What comes before it in a reply
    /// is shown folded as reasoning. Text inside `<think>...</think>` is always folded.
    public var answerMarker: String?
    /// The template's sampling defaults: choosing the template applies them to the
    /// conversation's settings (a later `/set` still wins).
    public var sampling: SamplingOverrides

    public init(
        name: String, description: String, answerMarker: String? = nil,
        sampling: SamplingOverrides = SamplingOverrides()
    ) {
        self.name = name
        self.description = description
        self.answerMarker = answerMarker
        self.sampling = sampling
    }
}

/// What the model would be given for the next turn with a template (F2's preview).
public struct TemplatePreview: Equatable, Sendable {
    /// The rendered prompt, exactly as the model gets it.
    public var text: String
    public var tokenCount: Int

    public init(text: String, tokenCount: Int) {
        self.text = text
        self.tokenCount = tokenCount
    }
}

/// How far the model is from ready: sent while it loads, so that the screen shows progress
/// while the user already types.
public enum ModelStatus: Equatable, Sendable {
    /// `fraction` in 0...1 when known; `detail` a few words ("requantizing to INT8").
    case loading(fraction: Double?, detail: String)
    /// Ready: the model's display name and context window size in tokens.
    case ready(name: String, contextLength: Int)
    /// Cannot be loaded; one line for the user. Turns fail until the user quits.
    case failed(String)
}

/// A format `/export` writes.
public enum ExportFormat: String, CaseIterable, Sendable {
    case markdown = "md"
    case json
}

// MARK: - The protocol

/// Everything the chat screen needs from the rest of Octet: the model (through Chat's
/// `ChatSession`), the conversation store and the prompt templates. The executable
/// implements it with the real `ChatSession` and `AppDatabase`; tests use fakes.
///
/// Methods may be called from any task; results come back to the screen as events, so
/// none of them touches the terminal. Errors are shown as one line in the transcript.
public protocol ChatServices: AnyObject, Sendable {
    // MARK: Model

    /// The model's loading progress, ending with `.ready` or `.failed`. Called once at
    /// start; a model already loaded yields `.ready` at once.
    func modelStatus() -> AsyncStream<ModelStatus>

    // MARK: Turns

    /// Starts the assistant's reply to `conversation`, whose last message is the user's.
    /// The conversation carries its template, system prompt and sampling settings. The
    /// stream follows `ChatEvent`'s contract. Cancelling the consuming task, or calling
    /// `cancelTurn()`, stops generation at the next token (`.cancelled` with the text so far).
    /// Waits for the model if it is still loading.
    func startTurn(for conversation: Conversation) -> AsyncStream<ChatEvent>

    /// Stops the running turn, if any.
    func cancelTurn()

    // MARK: Conversations

    /// Stores a new conversation with its settings and any messages it already has;
    /// returns it with the ids the store assigned (conversation and messages).
    func createConversation(_ conversation: Conversation) async throws -> Conversation

    /// Stores a changed title, template, system prompt or sampling settings (not messages).
    func updateConversation(_ conversation: Conversation) async throws

    /// Stores `message` in conversation `conversationID`: inserts it when its id is nil,
    /// otherwise overwrites it (a streaming reply is saved again as it grows, then once
    /// more with `complete` true). Returns it with its id.
    func saveMessage(_ message: Message, conversationID: Int64) async throws -> Message

    /// Removes one message (`/retry` replaces the last reply).
    func deleteMessage(id: Int64, conversationID: Int64) async throws

    /// A conversation with all its messages; throws if there is none with this id.
    func loadConversation(id: Int64) async throws -> Conversation

    /// The most recently updated conversation, for `octet --resume`; nil when there is none.
    func mostRecentConversation() async throws -> Conversation?

    /// The newest conversations first, at most `limit`.
    func listConversations(limit: Int) async throws -> [ConversationSummary]

    /// Conversations whose title or messages match `query` (the store's full-text search),
    /// best first, at most `limit`.
    func searchConversations(_ query: String, limit: Int) async throws -> [ConversationSummary]

    func renameConversation(id: Int64, title: String) async throws
    func deleteConversation(id: Int64) async throws

    // MARK: Templates and export

    /// The prompt templates available, in the order to list them.
    func templates() async throws -> [TemplateSummary]

    /// The prompt the model would get if `input` were sent next in `conversation` with the
    /// template `name` (for F2's preview), and its token count.
    func previewTemplate(named name: String, conversation: Conversation, input: String)
        async throws -> TemplatePreview

    /// `conversation` as Markdown or JSON text (Chat's export).
    func export(_ conversation: Conversation, format: ExportFormat) throws -> String
}
