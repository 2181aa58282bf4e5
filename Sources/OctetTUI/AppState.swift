import Foundation
import OctetChat

/// Everything the chat screen shows and remembers, as one value. Only `App.update` changes
/// it; `App.render` draws it (STYLE.md H9).
public struct AppState: Equatable, Sendable {
    // MARK: - Window and time

    public var size: Size
    /// Seconds on the runtime's clock, from the last `.tick` or timed event (update reads
    /// no clock itself).
    public var now: Double = 0
    /// The zone dates are shown in (the conversation list); tests fix it.
    public var timeZone: TimeZone = .current

    // MARK: - The conversation

    public var conversation: Conversation
    /// Numbers the conversations opened in this session, so that a save issued before the
    /// store assigned an id still finds its conversation (the runtime maps key -> id).
    public var conversationKey: Int = 0
    /// Lines from the chat screen itself, shown between messages.
    public var notes: [Note] = []
    /// Conversation settings changed before the store assigned an id: saved once it has one.
    public var settingsUnsaved = false

    /// A line of the transcript that is not a message: help, errors, "stopped".
    public struct Note: Equatable, Sendable {
        /// Shown after this many messages.
        public var after: Int
        public var text: String
        public var isError: Bool
    }

    // MARK: - The model and the running turn

    public var model: ModelStatus = .loading(fraction: nil, detail: "starting")
    /// The model file's display name, known before it is loaded.
    public var modelName: String
    public var turn: Turn?
    /// Context use after the last prompt: tokens used, window size.
    public var contextUsed: (used: Int, length: Int)? {
        get { contextUse.map { ($0.used, $0.length) } }
        set { contextUse = newValue.map { ContextUse(used: $0.used, length: $0.length) } }
    }
    private var contextUse: ContextUse?
    /// Generation speed of the last reply (or of the running one), tokens per second.
    public var tokensPerSecond: Double?
    /// A message sent while the model was still loading: its turn starts when it is ready.
    public var sendPending = false

    struct ContextUse: Equatable, Sendable {
        var used: Int
        var length: Int
    }

    /// A reply being generated.
    public struct Turn: Equatable, Sendable {
        /// Index of the streaming reply in `conversation.messages`.
        public var replyIndex: Int
        public var startedAt: Double
        public var firstTextAt: Double?
        /// Pieces of text received (one per token, nearly).
        public var chunks: Int = 0
        public var promptTokens: Int = 0
        public var lastSaveAt: Double
        public var cancelRequested = false
        /// The template the turn was asked with (for folding its reasoning while it streams).
        public var template: String?
    }

    // MARK: - Views

    public var input = InputEditor()
    public var transcript = TranscriptView()
    public var overlay: Overlay?
    public var templates: [TemplateSummary] = []
    public var themeName: String
    public var themeNames: [String] = []
    /// Store writes issued whose result has not come back yet ("saving…").
    public var pendingWrites = 0
    /// The last store write failed ("NOT SAVED" until a later one succeeds).
    public var saveFailed = false
    /// Candidates of the last Tab completion, shown in the status line.
    public var completions: [String] = []
    /// When Ctrl-C last stopped a reply (a second press within 2 s quits).
    public var interruptedAt: Double?
    /// The draft changed since it was last written to the draft file.
    public var draftUnsaved = false
    public var draftSavedAt: Double = 0
    /// Set by `/quit`, Ctrl-C on an idle screen or a hang-up: the runtime stops.
    public var quitting = false
    /// `/edit` in progress: the index of the user message being rewritten.
    public var editingIndex: Int?
    /// A switch of conversation asked for while a reply streamed: done when it has stopped.
    public var afterTurn: Switch?

    /// Where to go once the running reply has stopped and been saved.
    public enum Switch: Equatable, Sendable {
        case new
        case load(Int64)
    }

    /// Scrolling of the transcript: following the end, or a fixed first line.
    public struct TranscriptView: Equatable, Sendable {
        /// True: the last lines are shown and new output scrolls into view.
        public var following = true
        /// Where the view starts when not following (an item and a line in it).
        public var top = TranscriptPosition()
        /// Chain-of-thought reasoning shown in full (Ctrl-O) instead of folded to a line.
        public var reasoningExpanded = false
    }

    /// A box over the transcript.
    public enum Overlay: Equatable, Sendable {
        /// Help, scrolled down by `scroll` lines.
        case help(scroll: Int)
        case templates(TemplatePicker)
        case conversations(ConversationPicker)
    }

    // MARK: - Making one

    public init(
        size: Size, modelName: String, themeName: String = "dark",
        conversation: Conversation = Conversation()
    ) {
        self.size = size
        self.modelName = modelName
        self.themeName = themeName
        self.conversation = conversation
    }

    /// True while a reply streams.
    public var isGenerating: Bool { turn != nil }

    /// True when the model can take a turn.
    public var modelReady: Bool {
        if case .ready = model { return true }
        return false
    }

    /// The template's answer marker for reasoning folding, by template name.
    func answerMarker(for template: String?) -> String? {
        guard let template else { return nil }
        return templates.first { $0.name == template }?.answerMarker
    }
}
