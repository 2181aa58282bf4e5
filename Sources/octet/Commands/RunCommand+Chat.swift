import ArgumentParser
import Foundation
import OctetChat
import OctetInference
import OctetStore

// MARK: - octet run through a chat session

extension RunCommand {
    /// Without `--raw`: the prompt template, the system prompt and the model's chat format
    /// are applied by a `ChatSession`, exactly as the chat screen would send the message.
    /// Sampling: the defaults, then the template's, then what the command line gives.
    /// With `--resume`, the saved KV cache of the conversation's prefix is restored first.
    /// - Returns: with `--save`/`--resume`, the saving of the KV cache, for the caller to run
    ///   once the reply is printed.
    func runChat(_ text: String, stop: CancellationFlag, output: RunOutput) async throws
        -> (() async -> Void)? {
        let template = try templates.loadTemplate()
        let variables = try templates.variableValues()
        let conversation = try conversationForTurn(template: template)
        let history = try conversation.store.map {
            try RunHistory(database: $0, conversation: conversation.value, text: text,
                           modelPath: modelOptions.modelPath)
        }
        if save, let history { TemplateOptions.note("saved as conversation \(history.id)") }
        let local = try LocalBackend(
            model: try LanguageModel.load(path: modelOptions.modelPath, threads: threads),
            contextLength: ctx)
        let backend = RunBackend(local, stop: stop, ignoreEOS: sampling.ignoreEOS, onEvent: output.handle)
        let session = ChatSession(
            backend: backend, format: try format(of: local), bos: local.textBOS, eos: local.textEOS,
            conversation: history?.conversation ?? conversation.value, template: template,
            library: TemplateOptions.library(),
            variables: variables)
        let prefixes = await savedPrefixes(history, restoringFor: text, in: session, into: local)
        for await event in await session.send(text) {
            try history?.record(event)
            switch event {
            case .failed(let line): throw ValidationError(line)
            case .contextTrimmed(let count):
                TemplateOptions.warn("\(count) earlier messages are outside the context")
            default: break
            }
        }
        // The chat format is known only once the model is loaded.
        if let history { try history.database.updateSettings(of: await session.conversation) }
        return prefixes.map { prefixes in { await prefixes.save(from: local, renderedBy: session) } }
    }

    /// The saved KV caches beside the database of `history`; with `--resume`, the state of the
    /// longest saved prefix of the prompt that `text` makes is restored into `local` first.
    private func savedPrefixes(
        _ history: RunHistory?, restoringFor text: String, in session: ChatSession, into local: LocalBackend
    ) async -> SavedPrefixes? {
        guard let history,
            let prefixes = SavedPrefixes(
                databasePath: history.database.path, modelHash: history.modelHash, log: TemplateOptions.warn)
        else { return nil }
        if resume != nil, let tokens = try? await session.preview(text).tokens {
            prefixes.restore(longestPrefixOf: tokens, into: local)
        }
        return prefixes
    }

    /// The conversation this turn belongs to, with its settings for the turn: a new one, or
    /// with `--resume` the stored one (then `store` is open). A new `--template` brings its
    /// sampling defaults; `--system` and the sampling flags override; with `--save` or
    /// `--resume` these settings are stored with the conversation.
    private func conversationForTurn(template: PromptTemplate?) throws
        -> (value: Conversation, store: AppDatabase?) {
        let store = save || resume != nil ? try database.open() : nil
        var conversation = Conversation(
            model: URL(fileURLWithPath: modelOptions.modelPath).lastPathComponent)
        if let resume, let store { conversation = try store.loadConversation(id: resume) }
        if let template {
            conversation.template = template.name
            conversation.sampling = template.sampling.applied(to: conversation.sampling)
        }
        if let system = templates.system { conversation.systemPrompt = system }
        conversation.sampling = sampling.overrides.applied(to: conversation.sampling)
        return (conversation, store)
    }

    /// `--chat-format`, else the one recognised from the model's chat template.
    private func format(of backend: LocalBackend) throws -> ChatFormat {
        if let chatFormat {
            guard let format = ChatFormat(name: chatFormat) else {
                throw ChatError.unknownChatFormat(name: chatFormat)
            }
            return format
        }
        let detection = backend.chatFormat
        if let warning = detection.warning { TemplateOptions.warn(warning) }
        return detection.format
    }
}

/// The local engine as `octet run` drives it: each generation uses the command's Ctrl-C flag
/// (so a stopped reply still ends with its stats), honours `--ignore-eos`, and hands every
/// event to the output as well (the JSON output wants the token ids).
final class RunBackend: ChatBackend, @unchecked Sendable {
    // @unchecked: `onEvent` is called from one task at a time, in event order.
    let local: LocalBackend
    let stop: CancellationFlag
    let ignoreEOS: Bool
    let onEvent: (GenerationEvent) -> Void

    init(_ local: LocalBackend, stop: CancellationFlag, ignoreEOS: Bool,
         onEvent: @escaping (GenerationEvent) -> Void) {
        self.local = local
        self.stop = stop
        self.ignoreEOS = ignoreEOS
        self.onEvent = onEvent
    }

    var modelName: String { local.modelName }
    var contextLength: Int { local.contextLength }
    func tokenize(_ text: String) -> [Int] { local.tokenize(text) }
    func cachedPrefixLength(of tokens: [Int]) -> Int { local.cachedPrefixLength(of: tokens) }

    func generate(_ request: GenerationRequest) throws -> AsyncStream<GenerationEvent> {
        var request = request
        request.ignoreEOS = ignoreEOS
        let events = try local.generator.generate(request, cancellation: stop)
        let onEvent = self.onEvent
        return AsyncStream { continuation in
            let task = Task {
                for await event in events {
                    onEvent(event)
                    continuation.yield(event)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
