import XCTest
@testable import OctetInference
import OctetTokenizer

/// Generation with a SentencePiece vocabulary read from a GGUF file (`ModelTokenizerTests`'
/// `<unk>` `<s>` `</s>`, 256 byte tokens, `▁` `a` `▁a`): `▁` streams as a space, byte tokens
/// as whole characters, `</s>` ends the reply, and a chat reply loses its space prefix.
final class SentencePieceGenerationTests: XCTestCase {
    static let spaceA = 261, bos = 1, eos = 2

    static func byte(_ b: UInt8) -> Int { 3 + Int(b) }

    /// A model that answers any prompt with `reply`, then `</s>` forever.
    func model(replying reply: [Int], vocabularySize: Int) -> ScriptedModel {
        ScriptedModel(vocabularySize: vocabularySize) { tokens in
            let step = tokens.count - 2  // the prompt is <s> ▁a
            var logits = [Float](repeating: 0, count: vocabularySize)
            logits[step < reply.count ? reply[step] : Self.eos] = 10
            return logits
        }
    }

    func generate(_ reply: [Int], continuesPrompt: Bool, ignoreEOS: Bool = false,
                  maxTokens: Int = 16) throws -> Outcome {
        let tokenizer = try ModelTokenizer(file: ModelTokenizerTests.sentencePieceFile())
        let prompt = tokenizer.encodePrompt("a")
        XCTAssertEqual(prompt, [Self.bos, Self.spaceA])
        let generator = Generator(
            model: model(replying: reply, vocabularySize: tokenizer.tokenizer.vocabularySize),
            tokenizer: tokenizer)
        return collect(try generator.tokens(for: GenerationRequest(
            prompt: prompt, maxTokens: maxTokens, ignoreEOS: ignoreEOS,
            continuesPrompt: continuesPrompt)))
    }

    /// "é" spelled in two byte tokens: nothing shows until both are there.
    let reply = [spaceA, spaceA, byte(0xC3), byte(0xA9)]

    func testACompletionKeepsTheFirstSpace() throws {
        let out = try generate(reply, continuesPrompt: true)
        XCTAssertEqual(out.text, " a aé")
        XCTAssertEqual(out.ids, reply, "</s> stops it and is not reported")
        XCTAssertEqual(out.stats?.stopReason, .eos)
        let pieces = out.events.compactMap { if case .token(_, let text) = $0 { text } else { nil } }
        XCTAssertEqual(pieces, [" a", " a", "", "é"])
    }

    func testAChatReplyDropsItsSpacePrefix() throws {
        XCTAssertEqual(try generate(reply, continuesPrompt: false).text, "a aé")
    }

    /// Control tokens add no text, so the first token with text is the reply's first.
    func testTheSpaceGoesFromTheFirstTokenWithText() throws {
        let out = try generate([Self.bos, Self.spaceA], continuesPrompt: false, ignoreEOS: true, maxTokens: 3)
        XCTAssertEqual(out.ids, [Self.bos, Self.spaceA, Self.eos])
        XCTAssertEqual(out.text, "a")
    }

    /// Byte-level BPE has no space prefix: a reply's leading space is its own.
    func testByteLevelRepliesKeepTheirSpace() throws {
        let v = TinyVocabulary.self
        let model = ScriptedModel.replying([v.piece(" world")], to: v.bytes("Hi"))
        let out = collect(try generator(model).tokens(
            for: GenerationRequest(prompt: v.bytes("Hi"), continuesPrompt: false)))
        XCTAssertEqual(out.text, " world")
    }
}
