import Foundation
import OctetChat

/// Runs the chat screen: reads input, feeds events to `App.update`, runs the effects it
/// returns through `ChatServices`, and draws `App.render`'s frames on the backend at most
/// `frameInterval` apart (bubbletea's renderer; STYLE.md H9).
///
/// ```swift
/// let backend = NcursesBackend()
/// let runtime = Runtime(backend: backend, services: services, options: options)
/// try await runtime.run()     // returns when the user quits; the terminal is restored
/// ```
///
/// The terminal is touched from one thread only (the loop's); effects run in tasks and
/// post their results back. SIGHUP and SIGTERM save the draft and end the loop; SIGINT
/// (from `kill`, since raw mode turns Ctrl-C into a key) counts as Ctrl-C.
public final class Runtime: @unchecked Sendable {
    /// What `run` needs besides the backend and the services.
    public struct Options: Sendable {
        /// What to open first (a new conversation, `--resume`, `--resume ID`).
        public var start: App.Start
        /// The conversation shown before anything is loaded: its template, system prompt
        /// and sampling settings are the defaults for new conversations (config, flags).
        public var conversation: Conversation
        public var modelName: String
        public var themes: ThemeLibrary
        public var themeName: String
        /// Where the unsent draft is kept; nil: not kept.
        public var draft: DraftFile?
        /// Where `/export` writes its files.
        public var exportDirectory: String
        /// Seconds between frames at most (1/60: 60 frames a second).
        public var frameInterval: Double

        public init(
            start: App.Start = .newConversation, conversation: Conversation = Conversation(),
            modelName: String, themes: ThemeLibrary, themeName: String = "dark",
            draft: DraftFile? = nil,
            exportDirectory: String = FileManager.default.currentDirectoryPath,
            frameInterval: Double = 1.0 / 60
        ) {
            self.start = start
            self.conversation = conversation
            self.modelName = modelName
            self.themes = themes
            self.themeName = themeName
            self.draft = draft
            self.exportDirectory = exportDirectory
            self.frameInterval = frameInterval
        }
    }

    /// Counts for the performance note: frames drawn and the time spent building and
    /// drawing them.
    public struct Stats: Sendable {
        public var frames = 0
        public var renderSeconds = 0.0
        public var drawSeconds = 0.0
        public var events = 0
        /// Seconds from `run` to the first frame on screen.
        public var firstFrameSeconds: Double?
    }

    let backend: TerminalBackend
    let services: ChatServices
    let options: Options
    let queue = EventQueue()
    let effects: EffectRunner
    /// The state after the last event; read by tests once `run` has returned.
    public internal(set) var state: AppState
    public internal(set) var stats = Stats()
    var theme: Theme
    var signalSources: [DispatchSourceSignal] = []

    public init(backend: TerminalBackend, services: ChatServices, options: Options) {
        self.backend = backend
        self.services = services
        self.options = options
        theme = Theme.fallback
        state = AppState(
            size: Size(columns: 80, rows: 24), modelName: options.modelName,
            themeName: options.themeName, conversation: options.conversation)
        effects = EffectRunner(services: services, queue: queue, options: options)
    }

    // MARK: - Running

    /// Takes over the terminal until the user quits (or a hang-up); always gives it back.
    /// Throws when the terminal cannot be driven (before anything is drawn).
    public func run() async throws {
        try await withCheckedThrowingContinuation {
            (continuation: CheckedContinuation<Void, Error>) in
            let thread = Thread { [self] in
                do {
                    try self.runLoop()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "octet-tui"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// The loop, on the calling thread (the terminal's thread). `run` calls it on a thread
    /// of its own; tests may call it directly.
    public func runLoop() throws {
        let started = Self.clock()
        try backend.start()
        defer {
            stopSignals()
            backend.stop()
        }
        installSignals()
        loadInitialTheme()
        state.size = backend.size
        state.now = started
        state.themeName = theme.name
        var pending = App.start(&state, opening: options.start)
        pending += effects.startup()
        draw()
        stats.firstFrameSeconds = Self.clock() - started
        for effect in pending { perform(effect) }
        try loop()
    }
}
