// MARK: - Top-k

/// Keeps the `k` best candidates (equal logits: lower id first); `k` 0 (or more than there
/// are) keeps them all. Port of llama.cpp `llama_sampler_top_k_impl`.
public final class TopK: SamplerStage {
    /// How many candidates survive; 0 = off.
    public let k: Int

    public init(k: Int) {
        precondition(k >= 0)
        self.k = k
    }

    public func apply(_ candidates: CandidateBuffer) {
        guard k > 0, k < candidates.count else { return }
        candidates.sortPrefix(k)
        candidates.truncate(to: k)
    }
}
