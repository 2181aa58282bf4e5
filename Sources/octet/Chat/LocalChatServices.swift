import Foundation
import OctetChat
import OctetInference
import OctetStore
import OctetTUI

/// The chat screen's `ChatServices` on this machine: the model (loaded in the background so
/// the first frame comes at once), one `ChatSession` reusing the engine's KV cache from turn
/// to turn, the conversation database and the prompt templates. Wiring only: every decision
/// lives in Chat, Store or TUI.
final class LocalChatServices: ChatServices, @unchecked Sendable {
    // @unchecked: the stored properties are immutable or guarded by `lock`.

    /// What loading the model gives.
    struct Engine: Sendable {
        let backend: LocalBackend
        let session: ChatSession
        let format: ChatFormat
        let name: String
        /// The saved KV caches beside the database (nil when the model's hash is unknown).
        let prefixes: SavedPrefixes?
    }

    let database: AppDatabase
    let templateDirectories: [String]
    private let modelPath: String
    private let loading: Task<Engine, Error>
    private let lock = NSLock()
    private var turn: Task<Void, Never>?

    /// Starts loading the model at `modelPath` at once, in the background.
    init(modelPath: String, database: AppDatabase, templateDirectories: [String]) {
        self.modelPath = modelPath
        self.database = database
        self.templateDirectories = templateDirectories
        let library = TemplateLibrary(directories: templateDirectories)
        loading = Task.detached(priority: .userInitiated) {
            let model = try LanguageModel.load(path: modelPath)
            // Cached by path, size and time in the database: hashed once per model file.
            let hash = try? database.modelHash(ofFile: modelPath)
            let backend = try LocalBackend(model: model, modelHash: hash)
            let format = backend.chatFormat.format
            let session = ChatSession(
                backend: backend, format: format, bos: backend.textBOS, eos: backend.textEOS,
                library: library)
            // Silent: the screen is not the place for a cache's trouble, which is only a miss.
            let prefixes = SavedPrefixes(databasePath: database.path, modelHash: hash, log: { _ in })
            return Engine(
                backend: backend, session: session, format: format, name: model.fileName,
                prefixes: prefixes)
        }
    }

    // MARK: - Model

    func modelStatus() -> AsyncStream<ModelStatus> {
        let name = URL(fileURLWithPath: modelPath).lastPathComponent
        let loading = self.loading
        return AsyncStream { continuation in
            continuation.yield(.loading(fraction: nil, detail: "loading \(name)"))
            Task {
                do {
                    let engine = try await loading.value
                    continuation.yield(.ready(name: engine.name, contextLength: engine.backend.contextLength))
                } catch {
                    continuation.yield(.failed("\(error)"))
                }
                continuation.finish()
            }
        }
    }

    // MARK: - Turns

    func startTurn(for conversation: Conversation) -> AsyncStream<ChatEvent> {
        let (stream, continuation) = AsyncStream<ChatEvent>.makeStream()
        let task = Task { [loading] in
            do {
                let engine = try await loading.value
                for await event in try await Self.reply(to: conversation, in: engine) {
                    continuation.yield(event)
                }
            } catch is CancellationError {
                continuation.yield(.cancelled(Message(role: .assistant, content: "", complete: false)))
            } catch {
                continuation.yield(.failed("\(error)"))
            }
            continuation.finish()
        }
        lock.withLock { turn = task }
        return stream
    }

    func cancelTurn() {
        let running = lock.withLock { turn }
        guard let running else { return }
        Task { [loading] in
            // While the model still loads there is no reply yet: stop waiting for it.
            guard let engine = try? await loading.value else { return running.cancel() }
            if await engine.session.isGenerating { await engine.session.cancel() } else { running.cancel() }
        }
    }

    /// Brings the session in line with `conversation` (whose last message is the user's) and
    /// starts the reply. When the session already holds the same earlier messages (the usual
    /// case: the previous turn), only the new message is sent, so the prompt's prefix and the
    /// engine's cache stay put; otherwise (resume, /edit, another conversation) the session
    /// takes the whole conversation, and the engine's cache the saved state of its longest
    /// saved prefix (a resumed conversation is not read again).
    static func reply(to conversation: Conversation, in engine: Engine) async throws
        -> AsyncStream<ChatEvent> {
        let session = engine.session
        guard let last = conversation.messages.last, last.role == .user else {
            throw ChatError.nothingToRetry
        }
        let current = await session.conversation
        let earlier = conversation.messages.dropLast()
        let continues = current.id == conversation.id
            && current.messages.map(\.role) == earlier.map(\.role)
            && current.messages.map(\.content) == earlier.map(\.content)
        guard continues else {
            await session.replaceConversation(conversation)
            if let prefixes = engine.prefixes, let tokens = try? await session.preview().tokens {
                prefixes.restore(longestPrefixOf: tokens, into: engine.backend)
            }
            return await session.retry()
        }
        if await session.template?.name != conversation.template {
            let library = await session.library
            await session.setTemplate(
                conversation.template.flatMap { library[$0] }, applyingSamplingDefaults: false)
        }
        if current.systemPrompt != conversation.systemPrompt {
            await session.setSystemPrompt(conversation.systemPrompt)
        }
        await session.setSampling(conversation.sampling)
        return await session.send(last.content)
    }

    /// Saves, in the background, the engine's KV cache of the session's conversation as its
    /// next turn will render it: called once a reply is stored. The prompt is rendered by a
    /// session that does not ask the engine (which would wait for a reply being generated),
    /// and the cache is copied only while no reply is generated.
    func saveKVCache() {
        let loading = self.loading
        Task.detached(priority: .utility) {
            guard let engine = try? await loading.value, let prefixes = engine.prefixes else { return }
            let conversation = await engine.session.conversation
            let renderer = ChatSession(
                backend: PreviewBackend(engine.backend), format: engine.format,
                bos: engine.backend.textBOS, eos: engine.backend.textEOS,
                conversation: conversation, library: await engine.session.library)
            await prefixes.save(from: engine.backend, renderedBy: renderer)
        }
    }

    // MARK: - Templates and export

    func templates() async throws -> [TemplateSummary] {
        TemplateLibrary(directories: templateDirectories).templates.map {
            TemplateSummary(name: $0.name, description: $0.description, answerMarker: $0.answer,
                            sampling: $0.sampling)
        }
    }

    func previewTemplate(named name: String, conversation: Conversation, input: String)
        async throws -> TemplatePreview {
        let engine = try await loading.value
        let library = TemplateLibrary(directories: templateDirectories)
        var conversation = conversation
        conversation.template = name == "none" ? nil : name
        let preview = ChatSession(
            backend: PreviewBackend(engine.backend), format: engine.format,
            bos: engine.backend.textBOS, eos: engine.backend.textEOS,
            conversation: conversation, library: library)
        let result = try await preview.preview(input)
        return TemplatePreview(text: result.text, tokenCount: result.tokens.count)
    }

    func export(_ conversation: Conversation, format: ExportFormat) throws -> String {
        switch format {
        case .markdown: return Transcript.markdown(conversation)
        case .json: return String(decoding: try Transcript.json(conversation), as: UTF8.self)
        }
    }
}

/// The engine as F2's preview sees it: it tokenizes but never generates, and does not ask
/// the KV cache (which would wait for a reply being generated).
final class PreviewBackend: ChatBackend, @unchecked Sendable {
    let engine: LocalBackend
    init(_ engine: LocalBackend) { self.engine = engine }
    var modelName: String { engine.modelName }
    var modelHash: String? { engine.modelHash }
    var contextLength: Int { engine.contextLength }
    func tokenize(_ text: String) -> [Int] { engine.tokenize(text) }
    func cachedPrefixLength(of tokens: [Int]) -> Int { 0 }
    func generate(_ request: GenerationRequest) throws -> AsyncStream<GenerationEvent> {
        throw ChatError.turnInProgress
    }
}
