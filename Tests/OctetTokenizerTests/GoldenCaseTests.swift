import Testing
import OctetTokenizer

/// The reference tokenizer's cases (`tokenizer_cases.json`): the ids must be identical and
/// decoding them must give the text back.
@Suite struct GoldenCaseTests {
    @Test func allCasesAreThere() throws {
        #expect(Fixtures.goldenCases.count == 123)
        #expect(try Fixtures.smolLMVocabulary.get().pre == "smollm")
    }

    @Test(arguments: Fixtures.goldenCases)
    func encodesLikeTheReference(_ golden: Fixtures.GoldenCase) throws {
        let tokenizer = try Fixtures.smolLM(PreTokenizer(ggufName: "smollm"))
        let ids = tokenizer.encode(golden.text)
        #expect(ids == golden.ids, "\(golden.name): tokens \(ids.map { tokenizer.token($0) ?? "?" })")
        #expect(ids.map { tokenizer.token($0) } == golden.tokens, "\(golden.name)")
        #expect(tokenizer.decode(golden.ids) == golden.text, "\(golden.name)")
        #expect(golden.decoded == golden.text, "\(golden.name)")
    }

    /// Without `parseSpecial`, control-token text is ordinary text: many tokens, same bytes.
    @Test func controlTokensAsPlainText() throws {
        let tokenizer = try Fixtures.smolLM()
        let text = "<|im_start|>user\nHi<|im_end|>"
        let plain = tokenizer.encode(text, parseSpecial: false)
        #expect(!plain.contains { tokenizer.isControl($0) })
        #expect(tokenizer.decode(plain) == text)
        #expect(tokenizer.encode(text).first == 1)
        #expect(tokenizer.isControl(2) && !tokenizer.isControl(17) && !tokenizer.isControl(-1))
    }

    /// The facts the reference README singles out.
    @Test func referenceFacts() throws {
        let tokenizer = try Fixtures.smolLM()
        #expect(tokenizer.vocabularySize == 49152)
        #expect(tokenizer.encode(" 99").map { tokenizer.token($0)! } == ["Ġ", "9", "9"])
        #expect(tokenizer.encode(" 99").first == 216)
        #expect(tokenizer.encode("tabs").map { tokenizer.token($0)! } == ["t", "abs"])
        #expect(tokenizer.encode("").isEmpty)
        #expect(tokenizer.id(of: "<|im_end|>") == 2 && tokenizer.id(of: "no such token") == nil)
        #expect(tokenizer.tokenBytes(2) == Array("<|im_end|>".utf8))
        #expect(tokenizer.tokenBytes(tokenizer.id(of: "Ċ")!) == [0x0A])
        #expect(tokenizer.tokenBytes(49152).isEmpty && tokenizer.token(-1) == nil)
    }
}
