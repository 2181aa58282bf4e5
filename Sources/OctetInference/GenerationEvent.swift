import OctetTokenizer

// MARK: - Request

/// One generation: the whole prompt (the engine reuses whatever prefix of it is already in
/// its KV cache), how to sample, and when to stop.
public struct GenerationRequest: Sendable, Equatable {
    /// The full token sequence to continue.
    public var prompt: [TokenID]
    /// Most tokens to generate.
    public var maxTokens: Int
    public var sampling: SamplingParameters
    /// Generation stops when the reply text contains one of these; the stop string itself is
    /// not part of the text.
    public var stopStrings: [String]
    /// Keep going past the model's end-of-generation tokens (benchmarks, reference tests).
    public var ignoreEOS: Bool
    /// Whether the generated text continues the prompt's text (`--raw` completion) rather
    /// than starting a text of its own (a chat reply after the assistant's header). A reply's
    /// first token loses the space a SentencePiece vocabulary writes before every text
    /// (`▁Hello` → "Hello", see `StreamingDecoder`); byte-level BPE text is the same either way.
    public var continuesPrompt: Bool

    public init(
        prompt: [TokenID], maxTokens: Int = 512, sampling: SamplingParameters = .greedy,
        stopStrings: [String] = [], ignoreEOS: Bool = false, continuesPrompt: Bool = true
    ) {
        self.prompt = prompt
        self.maxTokens = maxTokens
        self.sampling = sampling
        self.stopStrings = stopStrings
        self.ignoreEOS = ignoreEOS
        self.continuesPrompt = continuesPrompt
    }
}

// MARK: - Events

/// Why a generation ended. Raw values are the words `octet run --json` prints.
public enum StopReason: String, Sendable, Codable, Equatable {
    /// The model produced an end-of-generation token.
    case eos
    /// `maxTokens` were generated (or the context window is full).
    case length
    /// The text reached one of the request's stop strings.
    case stopString = "stop_string"
    /// The consumer cancelled (Ctrl-C, task cancellation).
    case cancelled
}

/// What one generation cost.
public struct GenerationStats: Sendable, Equatable {
    /// Tokens in the request's prompt.
    public var promptTokens: Int
    /// Prompt tokens actually run through the model (the rest came from the KV cache).
    public var prefilledTokens: Int
    /// Prefill speed: `prefilledTokens` / prefill time.
    public var promptTokensPerSecond: Double
    /// Tokens generated, without the stop token.
    public var generatedTokens: Int
    /// Generation speed after the first token.
    public var tokensPerSecond: Double
    /// Seconds from the request to the first generated token (prefill included).
    public var timeToFirstToken: Double
    public var stopReason: StopReason

    public init(
        promptTokens: Int, prefilledTokens: Int, promptTokensPerSecond: Double,
        generatedTokens: Int, tokensPerSecond: Double, timeToFirstToken: Double,
        stopReason: StopReason
    ) {
        self.promptTokens = promptTokens
        self.prefilledTokens = prefilledTokens
        self.promptTokensPerSecond = promptTokensPerSecond
        self.generatedTokens = generatedTokens
        self.tokensPerSecond = tokensPerSecond
        self.timeToFirstToken = timeToFirstToken
        self.stopReason = stopReason
    }
}

/// What a generation stream yields (STYLE.md H6): one `token` per generated token, then
/// exactly one `finished`.
public enum GenerationEvent: Sendable, Equatable {
    /// A generated token and the text that became complete with it: possibly empty while an
    /// incomplete UTF-8 character or a possible stop string is held back, possibly longer
    /// than the token's own text when held-back text is released.
    case token(id: TokenID, text: String)
    /// The end: text still held back (if any) and the stats.
    case finished(text: String, stats: GenerationStats)
}
