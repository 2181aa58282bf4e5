import XCTest
@testable import OctetInference
import OctetTokenizer

final class GeneratorTests: XCTestCase {
    typealias V = TinyVocabulary
    let prompt = V.bytes("Hi")

    func generate(_ model: ScriptedModel, _ request: GenerationRequest) throws -> Outcome {
        collect(try generator(model).tokens(for: request))
    }

    // MARK: - Stopping

    func testStopsAtEndOfGenerationWithoutReportingIt() throws {
        let reply = [V.piece("Hello"), V.piece(" world"), V.piece("!")]
        let model = ScriptedModel.replying(reply, to: prompt)
        let out = try generate(model, GenerationRequest(prompt: prompt))
        XCTAssertEqual(out.ids, reply, "the <|im_end|> that stopped it is not among the ids")
        XCTAssertEqual(out.text, "Hello world!")
        XCTAssertEqual(out.finishedCount, 1)
        XCTAssertEqual(out.stats?.stopReason, .eos)
        XCTAssertEqual(out.stats?.generatedTokens, 3)
        XCTAssertEqual(out.stats?.promptTokens, 2)
        XCTAssertEqual(out.stats?.prefilledTokens, 2)
        // The prompt once, then each reply token fed back to get the next logits.
        XCTAssertEqual(model.evaluated, [prompt] + reply.map { [$0] })
    }

    func testEndOfTextStopsToo() throws {
        let model = ScriptedModel.replying([V.piece("!")], to: prompt, then: V.endOfText)
        let out = try generate(model, GenerationRequest(prompt: prompt))
        XCTAssertEqual(out.ids, [V.piece("!")])
        XCTAssertEqual(out.stats?.stopReason, .eos)
    }

    func testIgnoreEOSGoesOnAndControlTokensAddNoText() throws {
        let model = ScriptedModel.replying([V.piece("!")], to: prompt)
        let out = try generate(model, GenerationRequest(prompt: prompt, maxTokens: 4, ignoreEOS: true))
        XCTAssertEqual(out.ids, [V.piece("!"), V.imEnd, V.imEnd, V.imEnd])
        XCTAssertEqual(out.text, "!")
        XCTAssertEqual(out.stats?.stopReason, .length)
    }

    func testStopsAtMaxTokensWithoutFeedingTheLastTokenBack() throws {
        let reply = [V.piece("Hello"), V.piece(" world"), V.piece("!"), V.piece(" ok")]
        let model = ScriptedModel.replying(reply, to: prompt)
        let out = try generate(model, GenerationRequest(prompt: prompt, maxTokens: 2))
        XCTAssertEqual(out.ids, Array(reply[..<2]))
        XCTAssertEqual(out.stats?.stopReason, .length)
        XCTAssertEqual(out.stats?.generatedTokens, 2)
        XCTAssertEqual(model.evaluated, [prompt, [reply[0]]])
    }

    func testZeroMaxTokensPrefillsAndStops() throws {
        let model = ScriptedModel.replying([V.piece("!")], to: prompt)
        let out = try generate(model, GenerationRequest(prompt: prompt, maxTokens: 0))
        XCTAssertEqual(out.events.count, 1)
        XCTAssertEqual(out.stats?.stopReason, .length)
        XCTAssertEqual(model.cachedTokens, prompt)
    }

    func testAFullContextStopsWithLengthInsteadOfOverflowing() throws {
        // Context 5, prompt 2: tokens 1-3 are fed back (cache 3, 4, 5); the 4th is sampled
        // from the logits after a full cache and cannot be fed back.
        let model = ScriptedModel.replying([], to: prompt, then: V.piece("!"), contextLength: 5)
        let iterator = try generator(model).tokens(for: GenerationRequest(prompt: prompt))
        let out = collect(iterator)
        XCTAssertEqual(out.ids.count, 4)
        XCTAssertEqual(out.stats?.stopReason, .length)
        XCTAssertEqual(model.cachedTokens.count, 5)
        XCTAssertNil(iterator.error, "the model never overflowed")
    }

    // MARK: - Stop strings

    func testAStopStringAcrossTokensIsHeldBackAndNotEmitted() throws {
        let reply = [V.piece("Hello"), V.piece("\n"), V.piece("\nUs"), V.piece("er:"), V.piece(" ok")]
        let model = ScriptedModel.replying(reply, to: prompt)
        let out = try generate(
            model, GenerationRequest(prompt: prompt, stopStrings: ["\n\nUser:"]))
        XCTAssertEqual(out.events.map(\.text), ["Hello", "", "", "", ""])
        XCTAssertEqual(out.text, "Hello")
        XCTAssertEqual(out.ids, Array(reply[..<4]), "the token completing the stop string counts")
        XCTAssertEqual(out.stats?.stopReason, .stopString)
    }

    func testHeldBackTextThatIsNoStopStringIsReleased() throws {
        let reply = [V.piece("Hello"), V.piece("\n"), V.piece(" ok"), V.piece("\n")]
        let model = ScriptedModel.replying(reply, to: prompt)
        let out = try generate(
            model, GenerationRequest(prompt: prompt, stopStrings: ["\n\nUser:"]))
        // "\n" is held, " ok" shows it was not a stop string; the last "\n" is released at
        // the end, in `.finished`.
        XCTAssertEqual(out.events.map(\.text), ["Hello", "", "\n ok", "", "\n"])
        XCTAssertEqual(out.stats?.stopReason, .eos)
    }

    func testAStopStringInsideOneTokenKeepsTheTextBeforeIt() throws {
        let reply = [V.piece("Hello"), V.piece("end.\n\nUser: more")]
        let model = ScriptedModel.replying(reply, to: prompt)
        let out = try generate(
            model, GenerationRequest(prompt: prompt, stopStrings: ["zzz", "\n\nUser:"]))
        XCTAssertEqual(out.text, "Helloend.")
        XCTAssertEqual(out.stats?.stopReason, .stopString)
        XCTAssertEqual(model.evaluated.count, 2, "the token after the stop is never computed")
    }

    // MARK: - UTF-8

    func testHalfACharacterIsNeverEmitted() throws {
        // 你 = E4 BD A0 and 😀 = F0 9F 98 80, one byte per token.
        let reply = V.bytes("你") + V.bytes("😀") + [V.piece("!")]
        let model = ScriptedModel.replying(reply, to: prompt)
        let out = try generate(model, GenerationRequest(prompt: prompt))
        XCTAssertEqual(out.events.map(\.text), ["", "", "你", "", "", "", "😀", "!", ""])
        XCTAssertEqual(out.ids, reply)
    }

    func testAReplyCutMidCharacterDropsTheIncompleteBytes() throws {
        let model = ScriptedModel.replying(V.bytes("a你"), to: prompt)
        let out = try generate(model, GenerationRequest(prompt: prompt, maxTokens: 3))
        XCTAssertEqual(out.text, "a", "no U+FFFD for the two bytes of 你 that came")
    }

    func testAStopStringAfterMultibyteText() throws {
        let reply = V.bytes("é") + [V.piece("\n"), V.piece("\nUs"), V.piece("er:")]
        let model = ScriptedModel.replying(reply, to: prompt)
        let out = try generate(
            model, GenerationRequest(prompt: prompt, stopStrings: ["\n\nUser:"]))
        XCTAssertEqual(out.text, "é")
        XCTAssertEqual(out.stats?.stopReason, .stopString)
    }

    // MARK: - Validation

    func testRequestsThatCannotRunAreRejectedBeforeAnythingRuns() {
        let model = ScriptedModel.replying([], to: prompt, contextLength: 4)
        let gen = generator(model)
        XCTAssertThrowsError(try gen.tokens(for: GenerationRequest(prompt: []))) {
            XCTAssertEqual("\($0)", "the prompt is empty: there is nothing to continue")
        }
        XCTAssertThrowsError(try gen.tokens(for: GenerationRequest(prompt: V.bytes("12345")))) {
            XCTAssertEqual($0 as? InferenceError, .contextOverflow(tokens: 5, contextLength: 4))
        }
        XCTAssertThrowsError(try gen.tokens(for: GenerationRequest(prompt: [99_999])))
        XCTAssertThrowsError(try gen.tokens(for: GenerationRequest(prompt: prompt, maxTokens: -1)))
        XCTAssertThrowsError(try gen.tokens(
            for: GenerationRequest(prompt: prompt, sampling: SamplingParameters(topP: 2))))
        XCTAssertEqual(model.evaluated.count, 0)
    }
}

extension GenerationEvent {
    var text: String {
        switch self {
        case .token(_, let text), .finished(let text, _): text
        }
    }
}
