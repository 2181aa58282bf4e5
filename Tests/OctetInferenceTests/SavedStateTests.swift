import XCTest
@testable import OctetInference

/// A context's KV cache saved to bytes and restored (`exportState`/`restoreState`, issue 6):
/// what follows a restore is bit for bit what follows in the saving context, and states of
/// another shape are refused.
final class SavedStateTests: XCTestCase {
    /// 37 tokens: two whole blocks of 16 positions and part of a third.
    let prefix = (0 ..< 37).map { ($0 * 11 + 3) % 64 }
    let rest = [5, 9, 2, 60]

    // MARK: - Round trip

    func testARestoredCacheGivesTheSameLogitsBitForBit() throws {
        // Given a context that read a prefix in one batch and two tokens one at a time
        let (model, _) = try TinyModel().load()
        let saving = try model.makeContext()
        _ = try saving.evaluate(prefix)
        _ = try saving.evaluate([7])
        _ = try saving.evaluate([8])
        let state = try saving.exportState()
        // When a fresh context of another length (another cache layout) restores it
        let restored = try model.makeContext(contextLength: prefix.count + 2 + rest.count + 1)
        try restored.restoreState(state)
        // Then it holds the same tokens, and the next logits are exactly the same
        XCTAssertEqual(restored.cachedTokens, prefix + [7, 8])
        XCTAssertEqual(Array(try restored.evaluate(rest)), Array(try saving.evaluate(rest)))
        XCTAssertEqual(Array(try restored.evaluate([1])), Array(try saving.evaluate([1])))
    }

    func testAPrefixOfTheCacheCanBeSavedAndEqualCachesGiveEqualBytes() throws {
        let (model, _) = try TinyModel().load()
        let context = try model.makeContext()
        _ = try context.evaluate(prefix + rest)
        // The first 21 tokens (key positions 21 ..< 32 of the third block hold later tokens)
        let part = try context.exportState(tokenCount: 21)
        context.truncateCache(to: 21)
        XCTAssertEqual(try context.exportState(), part, "the same bytes after a truncation")
        let restored = try model.makeContext()
        try restored.restoreState(part)
        XCTAssertEqual(restored.cachedTokens, Array(prefix.prefix(21)))
        XCTAssertEqual(try restored.exportState(), part, "a round trip changes nothing")
        XCTAssertEqual(Array(try restored.evaluate([4, 4])), Array(try context.evaluate([4, 4])))
        // The logits after the last restored token are computed when asked for
        let again = try model.makeContext()
        try again.restoreState(part)
        XCTAssertEqual(try again.evaluate([]).count, model.config.vocabularySize)
        XCTAssertEqual(again.cachedTokens, Array(prefix.prefix(21)))
    }

    func testTheSizeIsTheTokensAndTheirKeysAndValues() throws {
        let tiny = TinyModel()
        let (model, _) = try tiny.load()
        let context = try model.makeContext()
        _ = try context.evaluate(prefix)
        let state = try context.exportState()
        // keys in whole blocks of 16 positions (48 for 37 tokens), values for 37 positions
        let halves = tiny.layers * tiny.kvHeads * tiny.headDim * (48 + 37)
        XCTAssertEqual(state.count, 40 + 4 * 37 + 2 * halves)
        XCTAssertEqual(state.prefix(10), Data(ModelContext.stateFormat.utf8))
        XCTAssertEqual(ModelContext.stateFormat, "octet-kv-1")
        // An empty cache is a state too
        let empty = try model.makeContext()
        try empty.restoreState(try model.makeContext().exportState())
        XCTAssertEqual(empty.cachedTokens, [])
    }

    // MARK: - Mismatches

    func testStatesOfAnotherShapeAreRefusedAndTheCacheIsKept() throws {
        let (model, _) = try TinyModel().load()
        let context = try model.makeContext()
        _ = try context.evaluate(prefix)
        let state = try context.exportState()
        let target = try model.makeContext()
        _ = try target.evaluate([1, 2, 3])
        func refused(_ data: Data, _ expected: InferenceError, into context: ModelContext? = nil,
                     line: UInt = #line) {
            let into = context ?? target
            XCTAssertThrowsError(try into.restoreState(data), line: line) {
                XCTAssertEqual($0 as? InferenceError, expected, line: line)
            }
        }
        refused(state.prefix(39), .badState(problem: "39 bytes are too short for a header"))
        refused(state.dropLast(), .badState(problem: "\(state.count - 1) bytes, 37 tokens need \(state.count)"))
        refused(state + [0], .badState(problem: "\(state.count + 1) bytes, 37 tokens need \(state.count)"))
        refused(patched(state, at: 9, "2"), .badState(problem: "format \"octet-kv-2\" is not octet-kv-1"))
        refused(patched(state, at: 40, UInt32(64)), .badState(problem: "token id 64 is outside the vocabulary"))
        refused(patched(state, at: 36, UInt32(1)), .badState(problem: "a reserved field is not 0"))
        let small = try model.makeContext(contextLength: 36)
        refused(state, .contextOverflow(tokens: 37, contextLength: 36), into: small)
        XCTAssertEqual(target.cachedTokens, [1, 2, 3], "a refused state leaves the cache alone")
        for (other, problem) in [
            (TinyModel(layers: 1), "2 layers, the model has 1"),
            (TinyModel(kvHeads: 4), "2 KV heads, the model has 4"),
            (TinyModel(dim: 128), "16 head size, the model has 32"),
            (TinyModel(vocab: 80), "64 vocabulary, the model has 80"),
        ] {
            let wrong = try other.load().model.makeContext()
            refused(state, .badState(problem: problem), into: wrong)
        }
        XCTAssertThrowsError(try context.exportState(tokenCount: 38)) {
            XCTAssertEqual($0 as? InferenceError, .badState(problem: "38 tokens asked for, 37 cached"))
        }
        XCTAssertEqual(
            InferenceError.badState(problem: "x").description, "saved KV cache: x")
    }

    private func patched(_ data: Data, at offset: Int, _ text: String) -> Data {
        var data = data
        data.replaceSubrange(offset ..< offset + text.utf8.count, with: Array(text.utf8))
        return data
    }

    private func patched(_ data: Data, at offset: Int, _ value: UInt32) -> Data {
        var data = data
        withUnsafeBytes(of: value.littleEndian) { data.replaceSubrange(offset ..< offset + 4, with: $0) }
        return data
    }

    // MARK: - Waiting for the generator

    func testIfIdleDoesNotRunWhileAGenerationRuns() async throws {
        let model = ScriptedModel.replying([], to: [], then: TinyVocabulary.piece("!"))
        model.delay = 0.05
        let gen = generator(model)
        XCTAssertEqual(gen.ifIdle { 1 }, 1)
        XCTAssertEqual(gen.whenIdle { gen.ifIdle { 1 } }, nil, "not while the model is taken")
        let events = try gen.generate(GenerationRequest(prompt: TinyVocabulary.bytes("go"), maxTokens: 20))
        var sawBusy = false
        for await event in events {
            if case .token = event, gen.ifIdle({ 1 }) == nil { sawBusy = true }
        }
        XCTAssertTrue(sawBusy)
        XCTAssertEqual(gen.whenIdle { model.cachedTokens.count }, 2 + 19, "after the generation ended")
    }
}

/// The same with the default model: the state of a real conversation's prefix.
final class SavedStateDefaultModelTests: XCTestCase {
    func testARestoredPrefixContinuesExactlyAsTheOriginal() throws {
        let model = try Reference.defaultModel()
        let tokenizer = model.tokenizer
        let prompt = tokenizer.encodePrompt(
            "<|im_start|>system\nYou are a helpful AI assistant named SmolLM.<|im_end|>\n"
                + "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n")
        let saving = try model.makeContext(contextLength: 512)
        _ = try saving.evaluate(Array(prompt.dropLast()))
        let state = try saving.exportState()
        XCTAssertEqual(state.count, 40 + 4 * (prompt.count - 1)
            + 30 * 2 * 3 * 64 * ((prompt.count - 1 + 15) / 16 * 16 + prompt.count - 1))
        let restored = try model.makeContext(contextLength: 256)
        try restored.restoreState(state)
        XCTAssertEqual(Array(try restored.evaluate([prompt.last!])), Array(try saving.evaluate([prompt.last!])))
        // Greedy generation from both: the same tokens
        let request = GenerationRequest(prompt: prompt, maxTokens: 12, sampling: SamplingParameters(temperature: 0))
        func reply(_ context: ModelContext) throws -> [Int] {
            try Generator(model: context, tokenizer: tokenizer).tokens(for: request).compactMap {
                if case .token(let id, _) = $0 { return id } else { return nil }
            }
        }
        saving.truncateCache(to: prompt.count - 1)
        restored.truncateCache(to: prompt.count - 1)
        XCTAssertEqual(try reply(restored), try reply(saving))
    }
}
