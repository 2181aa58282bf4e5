/// How the next token is chosen from the logits (STYLE.md H5). The sampler chain is built
/// from this value; `temperature == 0` means greedy (argmax, ties to the lowest id).
public struct SamplingParameters: Sendable, Equatable, Hashable {
    /// 0 = greedy.
    public var temperature: Float
    /// Keep the `topK` most likely tokens; 0 = off.
    public var topK: Int
    /// Keep the smallest set whose probability reaches `topP`; 1 = off.
    public var topP: Float
    /// Drop tokens less likely than `minP` times the most likely one; 0 = off.
    public var minP: Float
    /// Divide positive logits (multiply negative ones) of recently seen tokens; 1 = off.
    public var repeatPenalty: Float
    /// How many of the last tokens (prompt and reply) the repetition penalty looks at.
    public var repeatLastN: Int
    /// The random generator's seed: the same seed gives the same tokens.
    public var seed: UInt64

    public init(
        temperature: Float = 0.8, topK: Int = 40, topP: Float = 0.95, minP: Float = 0.05,
        repeatPenalty: Float = 1.0, repeatLastN: Int = 64, seed: UInt64 = 0
    ) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repeatPenalty = repeatPenalty
        self.repeatLastN = repeatLastN
        self.seed = seed
    }

    /// Argmax at every step.
    public static let greedy = SamplingParameters(temperature: 0)
}
