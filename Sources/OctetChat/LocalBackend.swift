import OctetInference
import OctetTokenizer

// MARK: - The local INT8 engine as a chat backend

/// `ChatBackend` over Octet's own engine: one model, one KV cache (`ModelContext`), and the
/// `Generator` that reuses the cached prefix of every prompt and prefills only the rest.
///
/// ```swift
/// let backend = try LocalBackend(model: try LanguageModel.load(path: path), contextLength: 2048)
/// let detected = backend.chatFormat                 // from the file's chat template
/// let session = ChatSession(backend: backend, format: detected.format,
///                           bos: backend.textBOS, eos: backend.textEOS)
/// ```
public final class LocalBackend: ChatBackend, @unchecked Sendable {
    // @unchecked: the context is only driven through `generator`, which serializes its
    // generations and waits for a running one in `cachedPrefixLength`.

    /// The loaded model (weights, tokenizer, chat template).
    public let model: LanguageModel
    /// Its KV cache.
    public let context: ModelContext
    /// Drives `context`.
    public let generator: Generator
    public let modelHash: String?

    /// - Parameters:
    ///   - model: a loaded model.
    ///   - contextLength: a smaller KV cache than the model's context (`--ctx N`).
    ///   - modelHash: the file's SHA-256, to record with replies, when known.
    /// - Throws: what `LanguageModel.makeContext` throws.
    public init(model: LanguageModel, contextLength: Int? = nil, modelHash: String? = nil) throws {
        self.model = model
        self.context = try model.makeContext(contextLength: contextLength)
        self.generator = Generator(model: context, tokenizer: model.tokenizer)
        self.modelHash = modelHash
    }

    /// The model file's name.
    public var modelName: String { model.fileName }
    /// The KV cache's length.
    public var contextLength: Int { context.contextLength }
    /// The model's BOS text ("" when none), for the chat format.
    public var textBOS: String { model.tokenizer.textBOS }
    /// The model's EOS text, for the chat format.
    public var textEOS: String { model.tokenizer.textEOS }
    /// The chat format recognised from the file's `tokenizer.chat_template`.
    public var chatFormat: ChatFormatDetection { ChatFormat.detect(template: model.tokenizer.chatTemplate) }

    public func tokenize(_ text: String) -> [TokenID] { model.tokenizer.encodePrompt(text) }

    public func cachedPrefixLength(of tokens: [TokenID]) -> Int {
        generator.cachedPrefixLength(of: tokens)
    }

    public func generate(_ request: GenerationRequest) throws -> AsyncStream<GenerationEvent> {
        try generator.generate(request)
    }
}
