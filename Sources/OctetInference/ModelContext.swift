import OctetKernels
import OctetTokenizer

// MARK: - A model with a KV cache

/// A `LanguageModel` with its own KV cache and activation buffers: the `LogitsSource` the
/// generator drives. Feeding tokens appends them to the cache; the logits after the last
/// one come back in a buffer owned by the context. A context may move between threads (a
/// generation task) but must not be used from two at once: one generation at a time.
public final class ModelContext: LogitsSource, @unchecked Sendable {
    /// The model whose weights this context runs.
    public let model: LanguageModel
    /// Logits per position (the classifier's rows).
    public var vocabularySize: Int { model.config.vocabularySize }
    /// Most tokens the cache holds.
    public let contextLength: Int
    /// The tokens in the cache, in order.
    public private(set) var cachedTokens: [TokenID]

    /// Most tokens one forward pass takes; longer inputs run in chunks of this many.
    public static let batchCapacity = 512

    private let cache: KVCache
    /// (layerCount) the kernels' view of each layer of the cache (for `exportState`).
    var cacheLayers: UnsafeMutablePointer<oct_kv_layer> { cache.layers }
    private let state: RunState
    /// Whether `state.logits` holds the logits after the last cached token.
    private var logitsAreCurrent = false

    init(model: LanguageModel, contextLength: Int) throws {
        self.model = model
        self.contextLength = contextLength
        cache = try KVCache(config: model.config, contextLength: contextLength)
        state = RunState(
            config: model.config, batchCapacity: min(Self.batchCapacity, contextLength),
            cacheCapacity: cache.capacity, threads: model.threadCount)
        cachedTokens = []
        cachedTokens.reserveCapacity(contextLength)
    }

    /// Says the cache now holds `tokens` (its keys and values written by `restoreState`);
    /// their logits are computed when asked for.
    func replaceCachedTokens(with tokens: [TokenID]) {
        cachedTokens.removeAll(keepingCapacity: true)
        cachedTokens.append(contentsOf: tokens)
        logitsAreCurrent = false
    }

    /// Forgets the cache from `count` on (positions are simply overwritten later).
    public func truncateCache(to count: Int) {
        let keep = max(0, min(count, cachedTokens.count))
        if keep < cachedTokens.count {
            cachedTokens.removeSubrange(keep...)
            logitsAreCurrent = false
        }
    }

    /// Appends `tokens` to the cache and returns the logits after the last of them. With no
    /// tokens, the logits after the last cached token (recomputed if the cache was truncated).
    /// - Throws: `InferenceError.contextOverflow` past `contextLength`, `.invalidToken` for an
    ///   id outside the vocabulary, `.nothingToEvaluate` with no tokens and an empty cache.
    public func evaluate(_ tokens: [TokenID]) throws -> UnsafeBufferPointer<Float> {
        if tokens.isEmpty {
            guard let last = cachedTokens.last else { throw InferenceError.nothingToEvaluate }
            if !logitsAreCurrent {
                cachedTokens.removeLast()
                return try evaluate([last])
            }
            return UnsafeBufferPointer(state.logits.buffer)
        }
        guard cachedTokens.count + tokens.count <= contextLength else {
            throw InferenceError.contextOverflow(tokens: cachedTokens.count + tokens.count, contextLength: contextLength)
        }
        for id in tokens where id < 0 || id >= vocabularySize {
            throw InferenceError.invalidToken(id: id, vocabularySize: vocabularySize)
        }
        model.lock.lock()
        defer { model.lock.unlock() }
        tokens.withUnsafeBufferPointer { all in
            var start = 0
            while start < all.count {
                let n = min(state.batchCapacity, all.count - start)
                let chunk = UnsafeBufferPointer(rebasing: all[start ..< start + n])
                model.transformer.forward(chunk, position: cachedTokens.count, state: state, cache: cache)
                cachedTokens.append(contentsOf: chunk)
                start += n
            }
        }
        logitsAreCurrent = true
        return UnsafeBufferPointer(state.logits.buffer)
    }
}
