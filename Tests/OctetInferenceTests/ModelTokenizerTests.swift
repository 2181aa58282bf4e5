import OctetGGUF
import OctetInference
import OctetTokenizer
import XCTest

/// `ModelTokenizer(file:)` picks the tokenizer from `tokenizer.ggml.model` and applies
/// llama.cpp's defaults for what a file leaves out.
final class ModelTokenizerTests: XCTestCase {
    /// A SentencePiece header: `<unk>` `<s>` `</s>`, 256 byte tokens, then `▁` `a` `▁a`.
    static func sentencePieceFile(_ edit: (inout GGUFWriter) -> Void = { _ in }) throws -> GGUFFile {
        let hex = Array("0123456789ABCDEF")
        let bytes = (0..<256).map { "<0x\(hex[$0 >> 4])\(hex[$0 & 15])>" }
        let tokens = ["<unk>", "<s>", "</s>"] + bytes + ["▁", "a", "▁a"]
        var w = GGUFWriter()
        w.add("tokenizer.ggml.model", .string("llama"))
        w.add("tokenizer.ggml.tokens", .array(.strings(tokens)))
        w.add("tokenizer.ggml.scores", .array(.float32([0, 0, 0] + [Float](repeating: 0, count: 256) + [-1, -2, -3])))
        w.add("tokenizer.ggml.token_type",
              .array(.int32([2, 3, 3] + [Int32](repeating: 6, count: 256) + [1, 1, 1])))
        edit(&w)
        return try GGUFFile(bytes: w.bytes(), name: "spm.gguf")
    }

    func testSentencePieceDefaults() throws {
        let t = try ModelTokenizer(file: Self.sentencePieceFile())
        XCTAssertEqual(t.kind, .sentencePiece)
        XCTAssertEqual("\(t.kind)", "SentencePiece")
        XCTAssertTrue(t.tokenizer is SentencePieceEncoder)
        // No bos/eos keys: llama.cpp's SPM defaults 1 and 2; BOS is added.
        XCTAssertEqual(t.tokenBOS, 1)
        XCTAssertEqual(t.tokenEOS, 2)
        XCTAssertTrue(t.addBOS)
        XCTAssertEqual(t.textBOS, "<s>")
        XCTAssertEqual(t.endOfGeneration, [2])
        XCTAssertEqual(t.encodePrompt("a a"), [1, 261, 261])
        XCTAssertEqual(t.encodePrompt("<s>a"), [1, 261])
        XCTAssertEqual(t.tokenizer.decode([1, 261, 261]), "<s> a a")
    }

    func testSentencePieceKeysOverrideTheDefaults() throws {
        let t = try ModelTokenizer(file: Self.sentencePieceFile {
            $0.add("tokenizer.ggml.add_bos_token", .bool(false))
            $0.add("tokenizer.ggml.add_space_prefix", .bool(false))
            $0.add("tokenizer.ggml.bos_token_id", .uint32(2))
            $0.add("tokenizer.ggml.eos_token_id", .uint32(1))
        })
        XCTAssertFalse(t.addBOS)
        XCTAssertEqual(t.tokenBOS, 2)
        XCTAssertEqual(t.endOfGeneration, [1, 2])  // EOS, and "</s>" by its text
        XCTAssertEqual(t.encodePrompt("a a"), [260, 261])
    }

    /// Without scores every merge ties (llama.cpp reads 0); longer arrays are cut.
    func testScoresMayBeAbsentOrLonger() throws {
        let mistyped = try Self.sentencePieceFile { $0.set("tokenizer.ggml.scores", .uint32(0)) }
        XCTAssertThrowsError(try ModelTokenizer(file: mistyped)) {
            XCTAssertTrue("\($0)".contains("tokenizer.ggml.scores"), "\($0)")
        }
        let absent = try ModelTokenizer(file: Self.sentencePieceFile {
            var copy = GGUFWriter()
            for (key, value) in $0.metadata where key != "tokenizer.ggml.scores" { copy.add(key, value) }
            $0 = copy
        })
        XCTAssertEqual(absent.tokenizer.encode("a"), [261])
        let longer = try ModelTokenizer(file: Self.sentencePieceFile {
            $0.set("tokenizer.ggml.scores", .array(.float32([Float](repeating: 0, count: 300))))
        })
        XCTAssertEqual(longer.tokenizer.vocabularySize, 262)
    }

    func testBadSentencePieceArraysNameTheFile() throws {
        let short = { (w: inout GGUFWriter) in w.set("tokenizer.ggml.scores", .array(.float32([0, 0]))) }
        XCTAssertThrowsError(try ModelTokenizer(file: Self.sentencePieceFile(short))) {
            XCTAssertEqual("\($0)", "spm.gguf: tokenizer: invalid vocabulary: 262 tokens but 2 scores")
        }
        let unknown = { (w: inout GGUFWriter) in w.add("tokenizer.ggml.unknown_token_id", .uint32(999)) }
        XCTAssertThrowsError(try ModelTokenizer(file: Self.sentencePieceFile(unknown))) {
            XCTAssertEqual("\($0)", "spm.gguf: tokenizer: tokenizer.ggml.unknown_token_id 999 is not a token id (vocabulary of 262)")
        }
    }

    func testOtherTokenizerModelsAreRefused() throws {
        for model in ["bert", "t5", "rwkv", "plamo2"] {
            let file = try Self.sentencePieceFile { $0.set("tokenizer.ggml.model", .string(model)) }
            XCTAssertThrowsError(try ModelTokenizer(file: file)) {
                XCTAssertEqual(
                    "\($0)",
                    "spm.gguf: tokenizer model \"\(model)\" is not supported (supported: gpt2, byte-level BPE; llama, SentencePiece)")
            }
        }
    }

    /// BPE files keep their defaults: no BOS added, no made-up special ids.
    func testBytePairDefaultsAreUnchanged() throws {
        var w = GGUFWriter()
        w.add("tokenizer.ggml.model", .string("gpt2"))
        w.add("tokenizer.ggml.tokens", .array(.strings(["a", "b", "ab"])))
        w.add("tokenizer.ggml.merges", .array(.strings(["a b"])))
        let t = try ModelTokenizer(file: GGUFFile(bytes: w.bytes(), name: "bpe.gguf"))
        XCTAssertEqual(t.kind, .byteLevelBPE)
        XCTAssertEqual("\(t.kind)", "byte-level BPE")
        XCTAssertFalse(t.addBOS)
        XCTAssertNil(t.tokenBOS)
        XCTAssertNil(t.tokenEOS)
        XCTAssertEqual(t.tokenizer.encode("ab"), [2])
    }
}
