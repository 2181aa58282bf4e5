import OctetChat

/// Everything that can happen to the chat screen: input, time, signals, and the results
/// of effects the runtime ran. `App.update` turns each into a new state and more effects.
public enum Event: Equatable, Sendable {
    // MARK: From the terminal and the process

    case input(InputEvent)
    /// Time has passed; `now` is the runtime's clock in seconds.
    case tick(now: Double)
    /// SIGHUP or SIGTERM: the terminal is gone or the process must stop; save and quit.
    case hangup

    // MARK: Results of effects

    case model(ModelStatus)
    /// One event of the running turn, and when it arrived.
    case chat(ChatEvent, at: Double)
    /// The store assigned ids to the conversation created for `key`.
    case conversationCreated(key: Int, Conversation)
    /// The message at `index` of conversation `key` was stored (it now has an id).
    case messageSaved(key: Int, index: Int, Message)
    case conversationLoaded(Conversation)
    /// `--resume` found no conversation: a new one is shown.
    case nothingToResume
    case conversationsListed(query: String, [ConversationSummary])
    case conversationRenamed(id: Int64, title: String)
    case conversationDeleted(id: Int64)
    case templatesListed([TemplateSummary])
    case templatePreviewed(name: String, TemplatePreview)
    /// The theme in use changed (or fell back to the default, with the reason).
    case themeChanged(name: String, problem: String?)
    case themesListed([String])
    case exported(path: String)
    case copied(characters: Int)
    /// The draft file held an unsent draft from last time.
    case draftRestored(String)
    /// An effect failed; one line for the user. `saving` marks a failed store write.
    case failed(String, saving: Bool)
}

/// Work `App.update` asks the runtime to do; the runtime reports back with events.
public enum Effect: Equatable, Sendable {
    /// Generate the reply to the conversation's last message (the runtime first waits for
    /// the store writes issued before it, so the conversation has its id).
    case startTurn(key: Int, Conversation)
    case cancelTurn
    /// Store a new conversation with the messages it has. Writes run one after another in
    /// the order issued; a later write for the same `key` uses the id this one gets.
    case createConversation(key: Int, Conversation)
    /// Store changed settings or title (`Conversation.id` nil: the id of `key`).
    case updateConversation(key: Int, Conversation)
    /// Store message `index` of conversation `key`; the runtime remembers the id the first
    /// save of (`key`, `index`) got, so a reply saved again as it streams is overwritten.
    case saveMessage(key: Int, conversationID: Int64?, index: Int, Message)
    /// Remove message `index` of `key` (`id` nil: the id its save got); the index may then
    /// be reused by a new message.
    case deleteMessage(key: Int, conversationID: Int64?, index: Int, id: Int64?)
    case loadConversation(id: Int64)
    case loadMostRecentConversation
    /// An empty query lists the newest conversations.
    case listConversations(query: String)
    case renameConversation(id: Int64, title: String)
    case deleteConversation(id: Int64)
    case loadTemplates
    case previewTemplate(name: String, Conversation, input: String)
    case loadTheme(String)
    case listThemes
    case export(Conversation, ExportFormat)
    /// Put text on the clipboard with OSC 52.
    case copyToClipboard(String)
    case saveDraft(String)
    case quit
}
