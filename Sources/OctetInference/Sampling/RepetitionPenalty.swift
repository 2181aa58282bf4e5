import OctetTokenizer

// MARK: - Repetition penalty

/// Makes the tokens of the last `lastN` accepted tokens less likely: a positive logit is
/// divided by `penalty`, a negative one multiplied by it (so both move down for a penalty
/// above 1), once per distinct token however often it occurs.
/// Port of llama.cpp `src/llama-sampling.cpp` `llama_sampler_penalties_apply` (the repeat
/// part; its frequency and presence penalties are not exposed by Octet).
public final class RepetitionPenalty: SamplerStage {
    /// The divisor for positive logits, > 0; 1 changes nothing.
    public let penalty: Float
    /// How many of the most recent tokens are penalized.
    public let lastN: Int
    /// The last `lastN` accepted tokens, a ring starting at `recentStart`; (lastN).
    private var recent: [Int32]
    private var recentStart = 0
    private var recentCount = 0
    /// Per vocabulary token, the `stamp` of the last `apply` that penalized it, so a token
    /// seen twice is penalized once without a set being built per token; (vocabularySize).
    private var mark: [UInt32]
    private var stamp: UInt32 = 0

    /// A penalty over the last `lastN` tokens of a vocabulary of `vocabularySize`.
    public init(penalty: Float, lastN: Int, vocabularySize: Int) {
        precondition(penalty > 0 && lastN >= 0 && vocabularySize > 0)
        self.penalty = penalty
        self.lastN = lastN
        recent = Array(repeating: 0, count: max(lastN, 1))
        mark = Array(repeating: 0, count: vocabularySize)
    }

    public func accept(_ token: TokenID) {
        guard lastN > 0, token >= 0, token < mark.count else { return }
        if recentCount < lastN {
            recent[(recentStart + recentCount) % lastN] = Int32(token)
            recentCount += 1
        } else {
            recent[recentStart] = Int32(token)
            recentStart = (recentStart + 1) % lastN
        }
    }

    public func reset() {
        recentStart = 0
        recentCount = 0
    }

    public func apply(_ candidates: CandidateBuffer) {
        guard penalty != 1, recentCount > 0 else { return }
        nextStamp()
        for i in 0..<recentCount { mark[Int(recent[(recentStart + i) % lastN])] = stamp }
        let buffer = candidates.candidates
        if candidates.isInVocabularyOrder {
            // Fast path (the chain puts this stage first): candidate i is token i.
            for i in 0..<recentCount {
                let id = Int(recent[(recentStart + i) % lastN])
                guard mark[id] == stamp else { continue }  // already penalized this time
                mark[id] = stamp &- 1
                candidates.setLogit(at: id, penalized(buffer[id].logit))
            }
        } else {
            for i in 0..<buffer.count where mark[Int(buffer[i].id)] == stamp {
                candidates.setLogit(at: i, penalized(buffer[i].logit))
            }
        }
    }

    @inline(__always)
    private func penalized(_ logit: Float) -> Float {
        logit <= 0 ? logit * penalty : logit / penalty
    }

    /// A fresh stamp, never equal to a mark left from before (nor to `stamp - 1`, which
    /// the fast path uses for "done").
    private func nextStamp() {
        stamp &+= 2
        if stamp < 2 {
            for i in mark.indices { mark[i] = 0 }
            stamp = 2
        }
    }
}
