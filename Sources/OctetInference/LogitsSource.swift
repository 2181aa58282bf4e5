import OctetTokenizer

/// The part of the engine a generator drives: a model with a KV cache that is fed tokens and
/// answers with the logits after the last one. The transformer implements it; tests use tiny
/// fakes. Not thread-safe: one generation at a time.
public protocol LogitsSource: AnyObject {
    /// The number of logits per position.
    var vocabularySize: Int { get }
    /// The most tokens the KV cache holds.
    var contextLength: Int { get }
    /// The tokens now in the KV cache, in order.
    var cachedTokens: [TokenID] { get }
    /// Forgets the cache from `count` on, keeping its first `count` tokens.
    func truncateCache(to count: Int)
    /// Appends `tokens` to the cache (a batched prefill when there are several) and returns
    /// the logits after the last of them. The buffer is valid until the next call.
    /// - Throws: `InferenceError.contextOverflow` when the cache would exceed `contextLength`.
    func evaluate(_ tokens: [TokenID]) throws -> UnsafeBufferPointer<Float>
}

extension LogitsSource {
    /// How many leading tokens of `tokens` the cache already holds.
    public func cachedPrefixLength(of tokens: [TokenID]) -> Int {
        let cached = cachedTokens
        var n = 0
        while n < cached.count, n < tokens.count, cached[n] == tokens[n] { n += 1 }
        return n
    }
}
