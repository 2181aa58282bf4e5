import Foundation

// MARK: - Min-p

/// Drops the candidates less likely than `minP` times the most likely one, i.e. whose logit
/// is below `maxLogit + log(minP)`; the best always stays. Order is kept.
/// Port of llama.cpp `src/llama-sampling.cpp` `llama_sampler_min_p_apply`.
public final class MinP: SamplerStage {
    /// The fraction of the best probability a candidate needs, in [0, 1]; 0 = off.
    public let minP: Float

    public init(minP: Float) {
        precondition(minP >= 0 && minP <= 1)
        self.minP = minP
    }

    public func apply(_ candidates: CandidateBuffer) {
        guard minP > 0, candidates.count > 1 else { return }
        candidates.keep(logitAtLeast: candidates.maxLogit + logf(minP))
    }
}
