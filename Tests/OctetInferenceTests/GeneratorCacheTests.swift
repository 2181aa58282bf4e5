import XCTest
@testable import OctetInference
import OctetTokenizer

/// KV-cache reuse, determinism and cancellation of the generator.
final class GeneratorCacheTests: XCTestCase {
    typealias V = TinyVocabulary

    // MARK: - Cache reuse

    func testOnlyTheNewSuffixIsEvaluated() throws {
        let first = V.bytes("abc")
        let reply = V.bytes("xyz")
        let model = ScriptedModel.replying(reply, to: first, then: V.piece("!"))
        let gen = generator(model)
        _ = collect(try gen.tokens(for: GenerationRequest(prompt: first, maxTokens: 3)))
        // The cache holds abc x y (z was not fed back). The next turn starts with abcxyz.
        XCTAssertEqual(model.cachedTokens, first + V.bytes("xy"))
        let second = first + reply + V.bytes("de")
        XCTAssertEqual(gen.cachedPrefixLength(of: second), 5)
        let out = collect(try gen.tokens(for: GenerationRequest(prompt: second, maxTokens: 1)))
        XCTAssertEqual(model.truncations.last, 5)
        XCTAssertEqual(model.evaluated.last, V.bytes("zde"))
        XCTAssertEqual(out.stats?.promptTokens, 8)
        XCTAssertEqual(out.stats?.prefilledTokens, 3)
    }

    func testAWhollyCachedPromptReevaluatesItsLastToken() throws {
        let prompt = V.bytes("abcd")
        let model = ScriptedModel.replying(V.bytes("xy"), to: prompt)
        let gen = generator(model)
        _ = collect(try gen.tokens(for: GenerationRequest(prompt: prompt, maxTokens: 2)))
        let before = model.evaluated.count
        let again = collect(try gen.tokens(for: GenerationRequest(prompt: prompt, maxTokens: 2)))
        XCTAssertEqual(model.truncations.last, 3)
        XCTAssertEqual(model.evaluated[before], [V.byte(UInt8(ascii: "d"))])
        XCTAssertEqual(again.stats?.prefilledTokens, 1)
        XCTAssertEqual(again.ids, V.bytes("xy"), "the same reply from the same logits")
    }

    func testADivergingPromptDropsTheRestOfTheCache() throws {
        let model = ScriptedModel.replying([], to: V.bytes("ab"), then: V.piece("!"))
        let gen = generator(model)
        _ = collect(try gen.tokens(for: GenerationRequest(prompt: V.bytes("abcd"), maxTokens: 1)))
        let out = collect(try gen.tokens(for: GenerationRequest(prompt: V.bytes("aXY"), maxTokens: 1)))
        XCTAssertEqual(model.truncations.last, 1)
        XCTAssertEqual(model.evaluated.last, V.bytes("XY"))
        XCTAssertEqual(out.stats?.prefilledTokens, 2)
    }

    // MARK: - Determinism

    /// Logits that depend on the whole sequence, so sampled paths diverge quickly.
    static func noisyModel() -> ScriptedModel {
        let n = V.tokenizer.vocabularySize
        return ScriptedModel { tokens in
            var rng = SeededRandom(seed: UInt64(bitPattern: Int64(tokens.reduce(17) { $0 &* 31 &+ $1 })))
            return (0..<n).map { _ in Float(rng.nextUnit() * 8) }
        }
    }

    func testTheSameSeedGivesTheSameTokens() throws {
        func sample(seed: UInt64) throws -> [TokenID] {
            let sampling = SamplingParameters(temperature: 0.8, seed: seed)
            let request = GenerationRequest(
                prompt: V.bytes("go"), maxTokens: 24, sampling: sampling, ignoreEOS: true)
            return collect(try generator(Self.noisyModel()).tokens(for: request)).ids
        }
        XCTAssertEqual(try sample(seed: 7), try sample(seed: 7))
        XCTAssertNotEqual(try sample(seed: 7), try sample(seed: 8))
        XCTAssertEqual(try sample(seed: 7).count, 24)
    }

    // MARK: - Cancellation

    func testCancellingTheIteratorEndsItBeforeTheNextToken() throws {
        let model = ScriptedModel.replying([], to: [], then: V.piece("!"))
        let stop = CancellationFlag()
        let iterator = try generator(model).tokens(
            for: GenerationRequest(prompt: V.bytes("go"), maxTokens: 100), cancellation: stop)
        var events = (0..<3).compactMap { _ in iterator.next() }
        let evaluationsBefore = model.evaluated.count
        stop.cancel()
        while let event = iterator.next() { events.append(event) }
        XCTAssertEqual(events.count, 4)
        XCTAssertEqual(events.last?.text, "")
        XCTAssertEqual(iterator.stats?.stopReason, .cancelled)
        XCTAssertEqual(iterator.stats?.generatedTokens, 3)
        XCTAssertEqual(model.evaluated.count, evaluationsBefore, "no forward pass after cancel")
        XCTAssertNil(iterator.next())
    }

    func testCancellingTheStreamEndsItWithOneCancelledFinishedKeepingTheText() async throws {
        let model = ScriptedModel.replying([], to: [], then: V.piece("!"))
        model.delay = 0.002
        let stop = CancellationFlag()
        let stream = try generator(model).generate(
            GenerationRequest(prompt: V.bytes("go"), maxTokens: 10_000), cancellation: stop)
        var outcome = Outcome()
        for await event in stream {
            outcome.events.append(event)
            if outcome.events.count == 3 { stop.cancel() }
        }
        XCTAssertEqual(outcome.finishedCount, 1)
        XCTAssertEqual(outcome.stats?.stopReason, .cancelled)
        let tokens = outcome.ids.count
        XCTAssertGreaterThanOrEqual(tokens, 3)
        XCTAssertLessThan(tokens, 10, "stopped within a token or two of the cancel")
        XCTAssertEqual(outcome.text, String(repeating: "!", count: tokens), "text so far kept")
        XCTAssertEqual(outcome.stats?.generatedTokens, tokens)
    }

    func testACancelledConsumerTaskStopsTheGenerationThread() async throws {
        let model = ScriptedModel.replying([], to: [], then: V.piece("!"))
        model.delay = 0.002
        let gen = generator(model)
        let stream = try gen.generate(GenerationRequest(prompt: V.bytes("go"), maxTokens: 100_000))
        let consumer = Task {
            var n = 0
            for await _ in stream { n += 1 }
            return n
        }
        try await Task.sleep(nanoseconds: 30_000_000)
        consumer.cancel()
        _ = await consumer.value
        // The thread lets go of the model within a token: cachedPrefixLength waits for it.
        _ = gen.cachedPrefixLength(of: [])
        let settled = model.evaluated.count
        try await Task.sleep(nanoseconds: 30_000_000)
        XCTAssertEqual(model.evaluated.count, settled, "no more forward passes")
        XCTAssertLessThan(settled, 1000)
    }

    func testTheStreamCarriesTheSameEventsAsTheIterator() async throws {
        let reply = V.bytes("你好") + [V.piece("!")]
        let prompt = V.bytes("hi")
        let sync = collect(try generator(.replying(reply, to: prompt)).tokens(
            for: GenerationRequest(prompt: prompt)))
        var async = Outcome()
        for await event in try generator(.replying(reply, to: prompt)).generate(
            GenerationRequest(prompt: prompt)) {
            async.events.append(event)
        }
        XCTAssertEqual(async.events.dropLast(), sync.events.dropLast())
        XCTAssertEqual(async.text, "你好!")
        XCTAssertEqual(async.stats?.stopReason, .eos)
    }
}
