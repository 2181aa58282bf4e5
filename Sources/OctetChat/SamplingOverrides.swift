/// Sampling values a prompt template (or a command line) sets, each optional: applied on top
/// of a conversation's `SamplingSettings`, they replace only what they name.
public struct SamplingOverrides: Sendable, Equatable, Hashable {
    public var temperature: Double?
    public var topK: Int?
    public var topP: Double?
    public var minP: Double?
    public var repeatPenalty: Double?
    public var repeatLastN: Int?
    public var seed: UInt64?
    public var maxTokens: Int?

    public init(
        temperature: Double? = nil, topK: Int? = nil, topP: Double? = nil, minP: Double? = nil,
        repeatPenalty: Double? = nil, repeatLastN: Int? = nil, seed: UInt64? = nil,
        maxTokens: Int? = nil
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

    /// True when nothing is set.
    public var isEmpty: Bool { self == SamplingOverrides() }

    /// `settings` with every value set here replaced.
    public func applied(to settings: SamplingSettings) -> SamplingSettings {
        var out = settings
        if let temperature { out.temperature = temperature }
        if let topK { out.topK = topK }
        if let topP { out.topP = topP }
        if let minP { out.minP = minP }
        if let repeatPenalty { out.repeatPenalty = repeatPenalty }
        if let repeatLastN { out.repeatLastN = repeatLastN }
        if let seed { out.seed = seed }
        if let maxTokens { out.maxTokens = maxTokens }
        return out
    }
}
