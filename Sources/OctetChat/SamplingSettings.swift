/// The sampling settings a user chooses for a conversation or a prompt template, stored with
/// the conversation and with each reply. Chat's own value, so that the store and the UI need
/// not know the engine; `OctetChat` maps it to the engine's sampler parameters.
public struct SamplingSettings: Codable, Sendable, Equatable, Hashable {
    /// 0 = greedy (argmax).
    public var temperature: Double
    /// 0 = off.
    public var topK: Int
    /// 1 = off.
    public var topP: Double
    /// 0 = off.
    public var minP: Double
    /// 1 = off.
    public var repeatPenalty: Double
    /// How many of the last tokens the repetition penalty looks at.
    public var repeatLastN: Int
    /// nil = a fresh random seed per reply (the seed used is stored with the reply).
    public var seed: UInt64?
    /// Most tokens one reply may generate.
    public var maxTokens: Int

    /// llama.cpp's defaults, which suit small chat models.
    public static let `default` = SamplingSettings(
        temperature: 0.8, topK: 40, topP: 0.95, minP: 0.05, repeatPenalty: 1.0,
        repeatLastN: 64, seed: nil, maxTokens: 512)

    public init(
        temperature: Double, topK: Int, topP: Double, minP: Double, repeatPenalty: Double,
        repeatLastN: Int, seed: UInt64?, maxTokens: Int
    ) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repeatPenalty = repeatPenalty
        self.repeatLastN = repeatLastN
        self.seed = seed
        self.maxTokens = maxTokens
    }
}
