import OctetTokenizer

// MARK: - Sampler stage

/// One step of a sampler chain (STYLE.md H5): it narrows or reshapes the candidates in
/// place, and, if it has memory, learns each token the chain settles on. Stages are classes
/// so that their buffers are mutated in place, never copied, while a token is sampled.
/// Anchor: llama.cpp `include/llama.h` `llama_sampler_i` (`apply`, `accept`, `reset`).
public protocol SamplerStage: AnyObject {
    /// Narrows or reshapes `candidates`; always leaves at least one.
    func apply(_ candidates: CandidateBuffer)
    /// Records a token of the sequence (prompt tokens and chosen tokens alike).
    func accept(_ token: TokenID)
    /// Forgets every accepted token.
    func reset()
}

extension SamplerStage {
    public func accept(_ token: TokenID) {}
    public func reset() {}
}
