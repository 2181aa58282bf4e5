import Foundation
import OctetTokenizer

// MARK: - Token iterator

/// One generation as a plain synchronous sequence of events (STYLE.md H6): a `.token` per
/// generated token, then exactly one `.finished`. Testable without concurrency;
/// `Generator.generate` runs it on a thread of its own.
///
/// The first `next()` prefills: it keeps the longest prefix of the prompt the model's KV
/// cache already holds, drops the rest of the cache, and evaluates only the remaining
/// prompt tokens (at least the last one, whose logits the first token is sampled from).
/// Each later `next()` feeds the previous token back, samples one more, and checks, in this
/// order: cancellation, the token budget, a full context, end-of-generation, stop strings.
///
/// Text comes through a `StreamingDecoder`, so half a UTF-8 character is never emitted
/// (STYLE.md H7); control tokens (`<|im_end|>` under `ignoreEOS`) add no text; text that
/// may begin a stop string is held back. A chat reply (`request.continuesPrompt` false)
/// starts a text of its own: a SentencePiece space prefix on its first token is dropped.
/// The end-of-generation token that stops a reply is not reported; the token that completes
/// a stop string is (its text before the stop string is). An incomplete character left at
/// the end (a reply cut mid-character) is dropped. Not thread-safe: one thread drives it,
/// and nothing else uses the model meanwhile.
///
/// Anchor: mlx-swift-examples `Libraries/MLXLMCommon/Evaluate.swift` `TokenIterator`.
public final class TokenIterator: Sequence, IteratorProtocol {
    public let request: GenerationRequest
    private let model: any LogitsSource
    private let tokenizer: any Tokenizer
    private let endOfGeneration: Set<TokenID>
    private let sampler: SamplerChain
    private let cancellation: CancellationFlag
    private var decoder: StreamingDecoder
    private var stopMatcher: StopStringMatcher

    // MARK: State

    private enum Phase { case notStarted, generating, stopping(StopReason), finished }
    private var phase = Phase.notStarted
    /// The logits the next token is sampled from, valid until the next `evaluate`.
    private var logits = UnsafeBufferPointer<Float>(start: nil, count: 0)
    /// The last generated token, not yet fed back (it is fed only if another one follows).
    private var pendingToken: TokenID?
    /// A one-token batch reused for every feed-back, so it is not allocated per token.
    private var single: [TokenID] = [0]
    /// Tokens in the KV cache.
    private var cacheCount = 0
    private var timer = Timer()

    /// The stats, once `.finished` has been returned.
    public private(set) var stats: GenerationStats?
    /// An error the model threw while generating; the generation then ended with `length`.
    /// (`LogitsSource.evaluate` documents only context overflow, which the iterator
    /// prevents by stopping first, so this stays nil unless the engine fails.)
    public private(set) var error: Error?

    /// Use `Generator.tokens(for:)`, which validates the request first.
    init(
        request: GenerationRequest, model: any LogitsSource, tokenizer: any Tokenizer,
        endOfGeneration: Set<TokenID>, sampler: SamplerChain, cancellation: CancellationFlag
    ) {
        self.request = request
        self.model = model
        self.tokenizer = tokenizer
        self.endOfGeneration = endOfGeneration
        self.sampler = sampler
        self.cancellation = cancellation
        decoder = StreamingDecoder(tokenizer: tokenizer, startsText: !request.continuesPrompt)
        stopMatcher = StopStringMatcher(request.stopStrings)
    }

    // MARK: - Next event

    public func next() -> GenerationEvent? {
        switch phase {
        case .finished: return nil
        case .stopping(let reason): return finish(reason)
        case .notStarted:
            phase = .generating
            timer.start = Timer.now()
            if cancellation.isCancelled { return finish(.cancelled) }
            do { try prefill() } catch { return fail(error) }
        case .generating: break
        }
        if cancellation.isCancelled { return finish(.cancelled) }
        if timer.generated >= request.maxTokens { return finish(.length) }
        if let token = pendingToken {
            guard cacheCount < model.contextLength else { return finish(.length) }
            single[0] = token
            do { logits = try model.evaluate(single) } catch { return fail(error) }
            cacheCount += 1
            timer.evaluations += 1
            pendingToken = nil
            if cancellation.isCancelled { return finish(.cancelled) }
        }
        return sampleToken()
    }

    /// Evaluates the part of the prompt the cache does not hold.
    private func prefill() throws {
        let prompt = request.prompt
        // Keep at least the last prompt token out of the cache: its logits are needed.
        let reused = Swift.min(model.cachedPrefixLength(of: prompt), prompt.count - 1)
        model.truncateCache(to: reused)
        logits = try model.evaluate(Array(prompt[reused...]))
        cacheCount = prompt.count
        timer.prefilled = prompt.count - reused
        timer.prefillEnd = Timer.now()
        sampler.accept(contentsOf: prompt)
    }

    /// Samples the next token from `logits` and reports it (or the end).
    private func sampleToken() -> GenerationEvent {
        let token = sampler.sample(logits)
        timer.sampled(at: Timer.now())
        if endOfGeneration.contains(token), !request.ignoreEOS { return finish(.eos) }
        sampler.accept(token)
        pendingToken = token
        timer.generated += 1
        let text = tokenizer.isControl(token) ? "" : decoder.append(token)
        let (emit, stopped) = stopMatcher.append(text)
        if stopped { phase = .stopping(.stopString) }
        return .token(id: token, text: emit)
    }

    // MARK: - The end

    private func finish(_ reason: StopReason) -> GenerationEvent {
        phase = .finished
        // Held-back text that turned out not to be a stop string is part of the reply; an
        // incomplete character in the decoder is dropped rather than shown as U+FFFD.
        let tail = reason == .stopString ? "" : stopMatcher.flush()
        let stats = timer.stats(promptTokens: request.prompt.count, stopReason: reason)
        self.stats = stats
        return .finished(text: tail, stats: stats)
    }

    private func fail(_ error: Error) -> GenerationEvent {
        self.error = error
        return finish(.length)
    }
}

// MARK: - Timing

extension TokenIterator {
    /// Counts and times of one generation, in seconds of a monotonic clock.
    struct Timer {
        var start = 0.0
        var prefillEnd = 0.0
        var firstSample: Double?
        var lastSample = 0.0
        var prefilled = 0
        var generated = 0
        /// Single-token evaluations after the prefill.
        var evaluations = 0

        static func now() -> Double { ProcessInfo.processInfo.systemUptime }

        mutating func sampled(at time: Double) {
            if firstSample == nil { firstSample = time }
            lastSample = time
        }

        /// Speeds as llama.cpp reports them: prefill = prompt tokens evaluated / prefill
        /// time; generation = tokens fed back / time from the first sampled token to the last.
        func stats(promptTokens: Int, stopReason: StopReason) -> GenerationStats {
            let prefillTime = prefillEnd - start
            let decodeTime = lastSample - (firstSample ?? lastSample)
            return GenerationStats(
                promptTokens: promptTokens, prefilledTokens: prefilled,
                promptTokensPerSecond: prefillTime > 0 ? Double(prefilled) / prefillTime : 0,
                generatedTokens: generated,
                tokensPerSecond: decodeTime > 0 ? Double(evaluations) / decodeTime : 0,
                timeToFirstToken: firstSample.map { $0 - start } ?? 0,
                stopReason: stopReason)
        }
    }
}
