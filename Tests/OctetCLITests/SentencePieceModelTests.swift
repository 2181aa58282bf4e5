import Foundation
import XCTest

/// A SentencePiece (`llama` tokenizer model) file end to end through the command line:
/// `octet tokenize`, `octet prompt --json`, `octet run` raw and as a chat turn, and
/// `octet model info`, on `SentencePieceModel`, whose greedy output is known in advance.
final class SentencePieceModelTests: XCTestCase {
    private var folder: URL!
    private var model: String!
    typealias M = SentencePieceModel

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("octet-spm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        model = try M.write(in: folder)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func run(_ args: [String], stdin: Data? = nil, line: UInt = #line) throws -> String {
        let result = try OctetProcess.run(args, stdin: stdin)
        XCTAssertEqual(result.status, 0, result.stderr, line: line)
        return result.stdout
    }

    private func object(_ json: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], json)
    }

    // MARK: - Tokenize

    /// The golden ids (sentencepiece's own, `spm_cases.json`) after BOS, which SentencePiece
    /// models get by default (`add_bos_token`).
    func testTokenizeGivesTheGoldenIdsAfterBOS() throws {
        let tokenize = { (text: String) in
            try JSONDecoder().decode([Int].self, from: Data(self.run(["tokenize", "--model", self.model, text]).utf8))
        }
        XCTAssertEqual(try tokenize("Hello world"), [1, 616, 625])
        XCTAssertEqual(try tokenize("I ❤️ Swift"), [1] + M.cycle.prefix(9))
        XCTAssertEqual(try tokenize("<s>Hello world"), [1, 616, 625], "no second BOS")
        // A control token is matched, and the text after it gets its own space prefix.
        let stdin = try run(["tokenize", "--model", model], stdin: Data("Hi<|im_end|>\n".utf8))
        XCTAssertEqual(stdin, "[1,727,1715,2000,1709,13]\n")
    }

    // MARK: - Generate

    /// `▁` is a space, byte tokens become one character once all its bytes are there; the
    /// first token keeps its space: the text continues the prompt ("I" + " ❤️ Swift").
    func testRawRunDecodesPiecesAndByteTokens() throws {
        XCTAssertEqual(try run(["run", "--model", model, "--raw", "-n", "4", "I"]), " ❤\n")
        let json = try object(run(["run", "--model", model, "--raw", "-n", "8", "--json", "I"]))
        XCTAssertEqual(json["text"] as? String, " ❤️ Swift")
        XCTAssertEqual(json["ids"] as? [Int], Array(M.cycle[1...8]))
        XCTAssertEqual((json["stats"] as? [String: Any])?["prompt_tokens"] as? Int, 2, "<s> ▁I")
        // Cut inside U+FE0F (EF B8 8F): its first two bytes are dropped, never half shown.
        let cut = try object(run(["run", "--model", model, "--raw", "-n", "6", "--json", "I"]))
        XCTAssertEqual(cut["text"] as? String, " ❤")
        // Round the cycle: "▁I" after the new line is " I", as llama.cpp's pieces are.
        XCTAssertEqual(try run(["run", "--model", model, "--raw", "-n", "15", "I"]), " ❤️ Swift.\n I ❤\n")
    }

    /// A chat reply is a text of its own: the space SentencePiece writes before a text is not
    /// part of it ("I ❤", not " I ❤"), on stdout and in `--json`.
    func testChatRunDropsTheReplysSpacePrefix() throws {
        XCTAssertEqual(try run(["run", "--model", model, "-n", "5", "Hi"]), "I ❤\n")
        let json = try object(run(["run", "--model", model, "-n", "5", "--json", "Hi"]))
        XCTAssertEqual(json["text"] as? String, "I ❤")
        XCTAssertEqual(json["ids"] as? [Int], Array(M.cycle[0..<5]))
    }

    /// The model's own chat format (Zephyr, from TinyLlama's template) with `</s>` as EOS,
    /// BOS added once; the prompt ends in the `<0x0A>` byte token the reply follows.
    func testPromptUsesTheModelsFormatAndAddsBOS() throws {
        let json = try object(run(["prompt", "--model", model, "--json", "Hi"]))
        XCTAssertEqual(json["text"] as? String, "<|user|>\nHi</s>\n<|assistant|>\n")
        let ids = try XCTUnwrap(json["ids"] as? [Int])
        XCTAssertEqual(ids.first, 1)
        XCTAssertEqual(ids.filter { $0 == 1 }.count, 1)
        XCTAssertTrue(ids.contains(2), "</s> is the control token")
        XCTAssertEqual(ids.last, 13)
    }

    func testModelInfoNamesTheVocabularyKind() throws {
        let info = try run(["model", "info", model])
        XCTAssertTrue(info.contains("vocabulary     2004 (SentencePiece)"), info)
        XCTAssertTrue(info.contains("special tokens BOS 1 <s>; EOS 2 </s>"), info)
        XCTAssertTrue(info.contains("chat format    zephyr"), info)
    }
}
