import OctetInference
import OctetTokenizer

// MARK: - The engine, as a chat sees it

/// What `ChatSession` needs from a model: its name and context size, its tokenizer, how much
/// of a prompt it already has in its KV cache, and a stream of generated tokens. The local
/// INT8 engine implements it (`LocalBackend`); a remote OpenAI-compatible server could too,
/// without the UI noticing (DESIGN.md "Beyond one machine").
///
/// One generation at a time: the session never calls `generate` again before the previous
/// stream has finished.
public protocol ChatBackend: AnyObject, Sendable {
    /// The model's name, recorded with each reply (the file name for a local model).
    var modelName: String { get }
    /// SHA-256 of the model file, hex, when known.
    var modelHash: String? { get }
    /// The most tokens the model's context (its KV cache) holds.
    var contextLength: Int { get }
    /// The token ids of a rendered prompt (control tokens matched, BOS as the model wants).
    func tokenize(_ text: String) -> [TokenID]
    /// How many leading tokens of `tokens` are already in the KV cache (they are not read
    /// again).
    func cachedPrefixLength(of tokens: [TokenID]) -> Int
    /// Starts generating after `request.prompt`: the engine reuses its cached prefix and
    /// prefills only the rest. Cancelling the consuming task stops it.
    /// - Throws: when the generation cannot start (e.g. the prompt exceeds the context).
    func generate(_ request: GenerationRequest) throws -> AsyncStream<GenerationEvent>
}

extension ChatBackend {
    public var modelHash: String? { nil }
}

// MARK: - Sampling settings for the engine

extension SamplingSettings {
    /// The engine's sampler parameters for these settings with `seed` (the settings' own
    /// seed when they have one; see `seedForNextReply`).
    public func parameters(seed: UInt64) -> SamplingParameters {
        SamplingParameters(
            temperature: Float(temperature), topK: topK, topP: Float(topP), minP: Float(minP),
            repeatPenalty: Float(repeatPenalty), repeatLastN: repeatLastN, seed: seed)
    }

    /// The seed a reply uses: the settings' own, or a fresh random one (recorded with the
    /// reply, so it can be reproduced).
    public func seedForNextReply<G: RandomNumberGenerator>(using generator: inout G) -> UInt64 {
        seed ?? generator.next()
    }

    /// The seed a reply uses, drawn from the system's generator when the settings have none.
    public var seedForNextReply: UInt64 {
        var generator = SystemRandomNumberGenerator()
        return seedForNextReply(using: &generator)
    }
}
