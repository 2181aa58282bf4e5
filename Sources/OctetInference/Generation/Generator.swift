import Foundation
import OctetTokenizer

// MARK: - Generator

/// Generates text with a model: validates a request, then either hands out the synchronous
/// `TokenIterator` or runs it on a thread of its own behind an `AsyncStream` (STYLE.md H6).
///
/// ```swift
/// let generator = Generator(model: model, tokenizer: modelTokenizer)
/// let stop = CancellationFlag()                      // stop.cancel() on Ctrl-C
/// for await event in try generator.generate(request, cancellation: stop) {
///     switch event {
///     case .token(_, let text): print(text, terminator: "")
///     case .finished(let text, let stats): print(text); report(stats)
///     }
/// }
/// ```
/// One generation runs at a time on a model: a second `generate` waits for the first to end
/// (so cancel the first, keep reading its stream or drop it, and start the next).
public final class Generator: @unchecked Sendable {
    /// The model and its KV cache; use it only while no generation runs.
    public let model: any LogitsSource
    public let tokenizer: any Tokenizer
    /// The tokens that end a reply (`ModelTokenizer.endOfGeneration`).
    public let endOfGeneration: Set<TokenID>
    /// Held while a generation thread drives the model.
    private let modelLock = NSLock()

    public init(model: any LogitsSource, tokenizer: any Tokenizer, endOfGeneration: Set<TokenID>) {
        self.model = model
        self.tokenizer = tokenizer
        self.endOfGeneration = endOfGeneration
    }

    /// A generator with `tokenizer`'s end-of-generation tokens.
    public convenience init(model: any LogitsSource, tokenizer: ModelTokenizer) {
        self.init(
            model: model, tokenizer: tokenizer.tokenizer,
            endOfGeneration: tokenizer.endOfGeneration)
    }

    /// How many leading tokens of `tokens` the KV cache holds (what a request for them
    /// would not prefill again). Waits for a running generation to end.
    public func cachedPrefixLength(of tokens: [TokenID]) -> Int {
        modelLock.lock()
        defer { modelLock.unlock() }
        return model.cachedPrefixLength(of: tokens)
    }

    /// Runs `body` while no generation drives the model, waiting for a running one to end:
    /// the place to save or restore its KV cache (`ModelContext.exportState`). Blocks the
    /// calling thread meanwhile.
    public func whenIdle<T>(_ body: () throws -> T) rethrows -> T {
        modelLock.lock()
        defer { modelLock.unlock() }
        return try body()
    }

    /// `whenIdle` without the wait: nil, and `body` not run, while a generation runs.
    public func ifIdle<T>(_ body: () throws -> T) rethrows -> T? {
        guard modelLock.try() else { return nil }
        defer { modelLock.unlock() }
        return try body()
    }

    // MARK: - Synchronous

    /// The events of `request`, one `next()` at a time, on the caller's thread.
    /// - Parameter cancellation: checked before every token; once set, the next event is
    ///   `.finished` with reason `cancelled`.
    /// - Throws: `InferenceError.badRequest` (empty prompt, negative `maxTokens`, a token
    ///   outside the vocabulary), `.contextOverflow` (a prompt longer than the context),
    ///   `.badSamplingParameter`.
    public func tokens(
        for request: GenerationRequest, cancellation: CancellationFlag = CancellationFlag()
    ) throws -> TokenIterator {
        try validate(request)
        let sampler = try SamplerChain(request.sampling, vocabularySize: model.vocabularySize)
        return TokenIterator(
            request: request, model: model, tokenizer: tokenizer,
            endOfGeneration: endOfGeneration, sampler: sampler, cancellation: cancellation)
    }

    private func validate(_ request: GenerationRequest) throws {
        guard !request.prompt.isEmpty else {
            throw InferenceError.badRequest(problem: "the prompt is empty: there is nothing to continue")
        }
        guard request.maxTokens >= 0 else {
            throw InferenceError.badRequest(
                problem: "the token budget \(request.maxTokens) is negative")
        }
        if let bad = request.prompt.first(where: { $0 < 0 || $0 >= model.vocabularySize }) {
            throw InferenceError.badRequest(
                problem: "token id \(bad) is not in the vocabulary of \(model.vocabularySize)")
        }
        guard request.prompt.count <= model.contextLength else {
            throw InferenceError.contextOverflow(
                tokens: request.prompt.count, contextLength: model.contextLength)
        }
    }

    // MARK: - Asynchronous

    /// The events of `request` as they come, computed on a dedicated thread (not the Swift
    /// cooperative pool, which the engine's spinning worker threads would starve). The
    /// stream ends with exactly one `.finished`: after `cancellation.cancel()` it comes
    /// before the next token, with reason `cancelled` and the text so far kept.
    ///
    /// When the consumer stops listening (its task is cancelled, or it drops the stream)
    /// the stream ends at once and the thread stops before its next token; that
    /// `.finished` event then has nobody to go to.
    /// - Throws: what `tokens(for:)` throws, before anything runs.
    public func generate(
        _ request: GenerationRequest, cancellation: CancellationFlag = CancellationFlag()
    ) throws -> AsyncStream<GenerationEvent> {
        let iterator = UncheckedBox(try tokens(for: request, cancellation: cancellation))
        let (stream, continuation) = AsyncStream.makeStream(
            of: GenerationEvent.self, bufferingPolicy: .unbounded)
        continuation.onTermination = { _ in cancellation.cancel() }
        let thread = Thread { [modelLock] in
            modelLock.lock()
            defer { modelLock.unlock() }
            while let event = iterator.value.next() {
                if case .terminated = continuation.yield(event) { cancellation.cancel() }
            }
            continuation.finish()
        }
        thread.name = "octet-generate"
        thread.start()
        return stream
    }
}

/// Hands a value that is not `Sendable` to exactly one other thread.
private final class UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
