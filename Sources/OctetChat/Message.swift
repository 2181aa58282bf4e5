import Foundation

/// What produced an assistant reply: enough to tell, later, which model, template and
/// settings wrote it, and how fast.
public struct GenerationInfo: Codable, Sendable, Equatable {
    /// The model file's name (e.g. `SmolLM2-135M-Instruct.Q4_1.gguf`).
    public var model: String
    /// SHA-256 of the model file, hex; nil when not known.
    public var modelHash: String?
    /// The prompt template's name; nil when none was used.
    public var template: String?
    public var sampling: SamplingSettings
    /// The seed actually used (also when the settings asked for a random one).
    public var seed: UInt64?
    public var promptTokens: Int
    public var generatedTokens: Int
    /// Generation speed, tokens per second.
    public var tokensPerSecond: Double
    /// Prompt reading speed, tokens per second; nil when not measured.
    public var promptTokensPerSecond: Double?
    /// Seconds from sending to the first token of the reply; nil when not measured.
    public var timeToFirstToken: Double?
    /// `eos`, `length`, `stop_string` or `cancelled`; nil while streaming.
    public var stopReason: String?

    public init(
        model: String, modelHash: String? = nil, template: String? = nil,
        sampling: SamplingSettings = .default, seed: UInt64? = nil, promptTokens: Int = 0,
        generatedTokens: Int = 0, tokensPerSecond: Double = 0,
        promptTokensPerSecond: Double? = nil, timeToFirstToken: Double? = nil,
        stopReason: String? = nil
    ) {
        self.model = model
        self.modelHash = modelHash
        self.template = template
        self.sampling = sampling
        self.seed = seed
        self.promptTokens = promptTokens
        self.generatedTokens = generatedTokens
        self.tokensPerSecond = tokensPerSecond
        self.promptTokensPerSecond = promptTokensPerSecond
        self.timeToFirstToken = timeToFirstToken
        self.stopReason = stopReason
    }
}

/// One message of a conversation.
public struct Message: Codable, Sendable, Equatable, Identifiable {
    /// Assigned by the store; nil until saved.
    public var id: Int64?
    public var role: Role
    public var content: String
    public var created: Date
    /// False while a reply streams, and for a reply that was interrupted (crash, kill).
    /// User and system messages are always complete.
    public var complete: Bool
    /// For assistant replies: what produced it.
    public var generation: GenerationInfo?

    public init(
        id: Int64? = nil, role: Role, content: String, created: Date = Date(),
        complete: Bool = true, generation: GenerationInfo? = nil
    ) {
        self.id = id
        self.role = role
        self.content = content
        self.created = created
        self.complete = complete
        self.generation = generation
    }
}
