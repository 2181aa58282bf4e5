// MARK: - Temperature

/// Divides every logit by `temperature`: below 1 sharpens the distribution, above 1
/// flattens it. Temperature 0 (greedy) never reaches this stage: the chain takes the argmax.
/// Port of llama.cpp `llama_sampler_temp_impl`.
public final class Temperature: SamplerStage {
    /// > 0.
    public let temperature: Float

    public init(temperature: Float) {
        precondition(temperature > 0)
        self.temperature = temperature
    }

    public func apply(_ candidates: CandidateBuffer) {
        guard temperature != 1 else { return }
        candidates.divideLogits(by: temperature)
    }
}
