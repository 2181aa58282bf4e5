import Foundation
import OctetTokenizer

// MARK: - Sampler chain

/// Chooses each next token from a row of logits: the stages of `SamplingParameters` over
/// one candidate buffer, then a seeded draw (STYLE.md H5).
///
/// The order is llama.cpp's default chain (`common/sampling.cpp`): repetition penalty,
/// top-k, top-p, min-p, temperature, draw. Top-p and min-p thus see the distribution before
/// temperature, as in llama.cpp. Temperature 0 short-circuits to the argmax (ties to the
/// lowest id) after the penalty, which is what llama.cpp's chain yields there too.
///
/// ```swift
/// let chain = try SamplerChain(parameters, vocabularySize: model.vocabularySize)
/// chain.accept(contentsOf: prompt)          // the penalty looks at the prompt too
/// let token = chain.sample(logits)          // then feed it to the model and
/// chain.accept(token)                       // tell the chain
/// ```
/// Not thread-safe; nothing is allocated per token.
public final class SamplerChain {
    public let parameters: SamplingParameters
    /// The candidates of the current row; (vocabularySize).
    private let candidates: CandidateBuffer
    /// The stages before the draw, in order.
    public let stages: [any SamplerStage]
    private var random: SeededRandom

    /// Builds the chain for a vocabulary of `vocabularySize` tokens.
    /// - Throws: `InferenceError.badSamplingParameter` for a value out of range.
    public init(_ parameters: SamplingParameters, vocabularySize: Int) throws {
        try parameters.validate()
        precondition(vocabularySize > 0)
        self.parameters = parameters
        candidates = CandidateBuffer(capacity: vocabularySize)
        random = SeededRandom(seed: parameters.seed)
        var stages: [any SamplerStage] = []
        if parameters.repeatPenalty != 1, parameters.repeatLastN > 0 {
            stages.append(RepetitionPenalty(
                penalty: parameters.repeatPenalty, lastN: parameters.repeatLastN,
                vocabularySize: vocabularySize))
        }
        // Under greedy the cutting stages cannot change the argmax: leave them out.
        if !parameters.isGreedy {
            if parameters.topK > 0 { stages.append(TopK(k: parameters.topK)) }
            if parameters.topP < 1 { stages.append(TopP(p: parameters.topP)) }
            if parameters.minP > 0 { stages.append(MinP(minP: parameters.minP)) }
            if parameters.temperature != 1 {
                stages.append(Temperature(temperature: parameters.temperature))
            }
        }
        self.stages = stages
    }

    /// The next token for `logits` (one value per vocabulary token).
    public func sample(_ logits: UnsafeBufferPointer<Float>) -> TokenID {
        candidates.fill(logits)
        for stage in stages { stage.apply(candidates) }
        if parameters.isGreedy { return Int(candidates.best.id) }
        return Int(draw().id)
    }

    /// `sample` on an array (tests).
    public func sample(_ logits: [Float]) -> TokenID {
        logits.withUnsafeBufferPointer { sample($0) }
    }

    /// Tells the stages that `token` is now part of the sequence.
    public func accept(_ token: TokenID) {
        for stage in stages { stage.accept(token) }
    }

    /// Accepts the last tokens of `tokens` that any stage can remember.
    public func accept(contentsOf tokens: [TokenID]) {
        for token in tokens.suffix(parameters.repeatLastN) { accept(token) }
    }

    /// Forgets every accepted token and restarts the random sequence from the seed.
    public func reset() {
        for stage in stages { stage.reset() }
        random = SeededRandom(seed: parameters.seed)
    }

    // MARK: - Draw

    /// One candidate drawn with probability softmax(logit) over those in the running: the
    /// weights are walked in buffer order (deterministic) until their running sum passes a
    /// uniform fraction of the total. Port of llama.cpp `llama_sampler_dist_apply`.
    private func draw() -> Candidate {
        let buffer = candidates.candidates
        let maxLogit = candidates.maxLogit
        var total = 0.0
        for c in buffer { total += Double(expf(c.logit - maxLogit)) }
        let target = random.nextUnit() * total
        var cumulative = 0.0
        for c in buffer {
            cumulative += Double(expf(c.logit - maxLogit))
            if cumulative > target { return c }
        }
        return buffer[buffer.count - 1]  // rounding: the target was at the very top
    }
}
