import Foundation
import OctetGGUF

// MARK: - Loaded model

/// A GGUF model loaded for inference: INT8 weights, tokenizer, a worker pool. Make one or
/// more contexts (each with its own KV cache) to run it.
///
/// ```swift
/// let model = try LanguageModel.load(path: path, threads: nil)
/// let context = try model.makeContext(contextLength: nil)
/// let logits = try context.evaluate(model.tokenizer.encodePrompt("The capital of France is"))
/// ```
///
/// Contexts of one model share its weights and threads; their `evaluate` calls take turns.
public final class LanguageModel: @unchecked Sendable {
    // @unchecked: immutable after load; the transformer's pool is used under `lock`.

    /// The hyperparameters.
    public let config: ModelConfig
    /// The tokenizer, special tokens and chat template of the file.
    public let tokenizer: ModelTokenizer
    /// The file's name without its directory (`SmolLM2-135M-Instruct.Q4_1.gguf`).
    public let fileName: String
    /// The path the model was loaded from.
    public let path: String
    /// Threads the forward pass uses (the caller's included).
    public let threadCount: Int
    /// Seconds `load` took.
    public let loadSeconds: Double
    /// The tensor types of the file's weight matrices, with how many of each (`Q4_1: 210`).
    public let fileTensorTypes: [String: Int]

    let transformer: Transformer
    /// Serializes forward passes of this model's contexts (they share the pool).
    let lock = NSLock()

    private init(config: ModelConfig, tokenizer: ModelTokenizer, path: String, transformer: Transformer,
                 loadSeconds: Double, fileTensorTypes: [String: Int]) {
        self.config = config
        self.tokenizer = tokenizer
        self.path = path
        fileName = (path as NSString).lastPathComponent
        self.transformer = transformer
        threadCount = transformer.pool.threads
        self.loadSeconds = loadSeconds
        self.fileTensorTypes = fileTensorTypes
    }

    /// Loads the GGUF file at `path`: hyperparameters, tokenizer, and every weight matrix
    /// requantized to INT8 (the file's pages are released afterwards).
    /// - Parameters:
    ///   - path: a GGUF v2/v3 file of a supported architecture (`llama`).
    ///   - threads: threads for the forward pass and the requantization; nil = all cores.
    /// - Throws: `GGUFError` for unreadable files, `InferenceError` for unsupported
    ///   architectures, tensor types or tokenizers, missing tensors and bad shapes.
    public static func load(path: String, threads: Int? = nil) throws -> LanguageModel {
        let start = DispatchTime.now().uptimeNanoseconds
        let file = try GGUFFile(path: path)
        let model = try load(file: file, threads: threads, start: start, mapped: true)
        file.releasePages()
        return model
    }

    /// Loads a model from a parsed file (in-memory files in tests).
    public static func load(file: GGUFFile, threads: Int? = nil) throws -> LanguageModel {
        try load(file: file, threads: threads, start: DispatchTime.now().uptimeNanoseconds, mapped: false)
    }

    private static func load(file: GGUFFile, threads: Int?, start: UInt64, mapped: Bool) throws -> LanguageModel {
        let threadCount = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let architecture = try Architecture.of(file)
        let config = try architecture.readConfig(file)
        let tokenizer = try ModelTokenizer(file: file)
        let weights = try ModelWeights.load(from: file, config: config, threads: threadCount, releasingPages: mapped)
        let pool = try WorkerPool(threads: threadCount)
        var types: [String: Int] = [:]
        for t in file.tensors where t.dimensions.count == 2 { types[t.type.description, default: 0] += 1 }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return LanguageModel(
            config: config, tokenizer: tokenizer, path: file.name,
            transformer: Transformer(config: config, weights: weights, pool: pool),
            loadSeconds: seconds, fileTensorTypes: types)
    }

    /// A new context with an empty KV cache of `contextLength` positions (nil or more than
    /// the model's own: the model's `config.contextLength`).
    /// - Throws: `InferenceError.badHyperparameter` for a length below 1, `.outOfMemory`.
    public func makeContext(contextLength: Int? = nil) throws -> ModelContext {
        let length = min(contextLength ?? config.contextLength, config.contextLength)
        guard length >= 1 else {
            throw InferenceError.badHyperparameter(
                file: fileName, key: "context length", problem: "must be at least 1, is \(length)")
        }
        return try ModelContext(model: self, contextLength: length)
    }

    /// Bytes of the INT8 weight matrices and their scales.
    public var weightBytes: Int { transformer.weights.matrixBytes }
}
