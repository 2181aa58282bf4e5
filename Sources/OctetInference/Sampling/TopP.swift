import Foundation

// MARK: - Top-p (nucleus)

/// Keeps the smallest set of best candidates whose probabilities (softmax of the logits in
/// the running) add up to at least `p`, and at least one. `p` 1 keeps them all.
/// Port of llama.cpp `llama_sampler_top_p_apply`; like its partial-sort path, only as many
/// candidates are sorted as the nucleus needs (64 first, then 4x more at a time), since a
/// full sort of a 50,000-token row costs more than the rest of the chain.
public final class TopP: SamplerStage {
    /// The probability mass to keep, in [0, 1]; 1 = off.
    public let p: Float

    public init(p: Float) {
        precondition(p >= 0 && p <= 1)
        self.p = p
    }

    public func apply(_ candidates: CandidateBuffer) {
        guard p < 1, candidates.count > 1 else { return }
        let maxLogit = candidates.maxLogit
        var total = 0.0
        for c in candidates.candidates { total += Double(expf(c.logit - maxLogit)) }
        let target = Double(p) * total
        var sorted = min(candidates.count, 64)
        var cumulative = 0.0
        var i = 0
        while true {
            candidates.sortPrefix(sorted)
            let buffer = candidates.candidates
            while i < sorted {
                cumulative += Double(expf(buffer[i].logit - maxLogit))
                i += 1
                if cumulative >= target {
                    candidates.truncate(to: i)
                    return
                }
            }
            // Rounding may leave the sum of all just below the target: keep them all.
            guard sorted < candidates.count else { return }
            sorted = min(candidates.count, sorted * 4)
        }
    }
}
