import XCTest
import Foundation

/// `octet prompt` and `octet templates`, run as a user would.
final class PromptCommandTests: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("octet-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    /// A config home of our own, so the user's real templates cannot change the results.
    private var env: [String: String] { ["XDG_CONFIG_HOME": scratch.appendingPathComponent("config").path] }

    private func write(_ text: String, to name: String) throws -> String {
        let url = scratch.appendingPathComponent(name)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private let smolSystem = "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"

    func testPrintsTheRenderedTextExactly() throws {
        let result = try OctetProcess.run(["prompt", "Hello"], environment: env)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, smolSystem + "<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n")
        XCTAssertEqual(result.stderr, "")
    }

    /// forward_cases.json `chat_capital_france`: the same text and the reference ids.
    func testJSONHasTextIDsAndTokenCount() throws {
        let result = try OctetProcess.run(["prompt", "--json", "What is the capital of France?"], environment: env)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("{\"text\":"), result.stdout)
        let object = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let ids = try XCTUnwrap(object["ids"] as? [Int])
        XCTAssertEqual(ids, [
            1, 9690, 198, 2683, 359, 253, 5356, 5646, 11173, 3365, 3511, 308, 34519, 28, 7018, 411,
            407, 19712, 8182, 2, 198, 1, 4093, 198, 1780, 314, 260, 3575, 282, 4649, 47, 2, 198, 1,
            520, 9531, 198,
        ])
        XCTAssertEqual(object["token_count"] as? Int, 37)
        XCTAssertEqual(object["text"] as? String,
                       smolSystem + "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n")
    }

    func testMessagesFileWithoutGenerationPrompt() throws {
        let file = try write(
            #"[{"role":"system","content":"Be kind."},{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"}]"#,
            to: "messages.json")
        let result = try OctetProcess.run(
            ["prompt", "--messages", file, "--no-generation-prompt", "And you?"], environment: env)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout,
            "<|im_start|>system\nBe kind.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
            + "<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nAnd you?<|im_end|>\n")

        let broken = try write(#"[{"role":"robot","content":"x"}]"#, to: "bad.json")
        let bad = try OctetProcess.run(["prompt", "--messages", broken], environment: env)
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.hasPrefix("octet: \(broken): expected a JSON array"), bad.stderr)
    }

    func testStdinLosesOneTrailingNewline() throws {
        let result = try OctetProcess.run(
            ["prompt", "--chat-format", "chatml", "-"], stdin: Data("line one\nline two\n\n".utf8), environment: env)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "<|im_start|>user\nline one\nline two\n<|im_end|>\n<|im_start|>assistant\n")
    }

    func testChatFormatsByNameAndFromATemplateFile() throws {
        let gemma = "{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}"
            + "{% endif %}{{ '<start_of_turn>' + role + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}"
        let file = try write(gemma, to: "gemma.jinja")
        let fromFile = try OctetProcess.run(
            ["prompt", "--chat-template-file", file, "--system", "Be brief.", "Hi"], environment: env)
        XCTAssertEqual(fromFile.status, 0, fromFile.stderr)
        XCTAssertEqual(fromFile.stdout, "<start_of_turn>user\nBe brief.\nHi<end_of_turn>\n<start_of_turn>model\n")

        let unknown = try write("{{ whatever }}", to: "unknown.jinja")
        let fallback = try OctetProcess.run(["prompt", "--chat-template-file", unknown, "Hi"], environment: env)
        XCTAssertEqual(fallback.status, 0)
        XCTAssertEqual(fallback.stdout, "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
        XCTAssertTrue(fallback.stderr.contains("using ChatML"), fallback.stderr)

        let bad = try OctetProcess.run(["prompt", "--chat-format", "nope", "Hi"], environment: env)
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1)
        XCTAssertTrue(bad.stderr.hasPrefix("octet: unknown chat format \"nope\""), bad.stderr)

        let both = try OctetProcess.run(
            ["prompt", "--chat-format", "chatml", "--chat-template-file", file, "Hi"], environment: env)
        XCTAssertEqual(both.status, 1)
    }

    func testTemplatesAndVariables() throws {
        let result = try OctetProcess.run(
            ["prompt", "--template", "translate", "--var", "language=French", "Good morning"], environment: env)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasSuffix(
            "<|im_start|>user\nTranslate into French:\nGood morning<|im_end|>\n<|im_start|>assistant\n"))
        XCTAssertTrue(result.stdout.contains("<|im_start|>assistant\nI love programming.<|im_end|>"))

        let system = try OctetProcess.run(
            ["prompt", "--template", "translate", "--system", "Mine.", "x"], environment: env)
        XCTAssertTrue(system.stdout.hasPrefix("<|im_start|>system\nMine.<|im_end|>\n"), system.stdout)
    }

    func testTemplatesListsShippedAndUserTemplatesAndReportsBrokenOnes() throws {
        let mine = try write(
            "name: translate\ndescription: My own translation\ntemplate: 'T: {{input}}'\n",
            to: "config/octet/prompts/translate.yaml")
        let broken = try write(
            "name: broken\ndescription: d\ntemplate: '{{input}}'\nexamples:\n  - input: a\n",
            to: "config/octet/prompts/broken.yaml")
        let result = try OctetProcess.run(["templates"], environment: env)
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        for name in ["zero-shot", "few-shot", "chain-of-thought", "translate", "summarize", "explain-code"] {
            XCTAssertEqual(lines.filter { $0.hasPrefix(name + " ") }.count, 1, "\(name): \(result.stdout)")
        }
        let translate = try XCTUnwrap(lines.first { $0.hasPrefix("translate ") })
        XCTAssertTrue(translate.contains("My own translation"), translate)
        XCTAssertTrue(translate.hasSuffix("(\(mine))"), translate)
        XCTAssertEqual(result.stderr, "octet: warning: \(broken):5: examples[0].output: missing\n")

        let used = try OctetProcess.run(["prompt", "--chat-format", "chatml", "--template", "translate", "x"], environment: env)
        XCTAssertEqual(used.stdout, "<|im_start|>user\nT: x<|im_end|>\n<|im_start|>assistant\n")
    }

    func testAMissingVariableIsOneLine() throws {
        _ = try write(
            "name: needs\ndescription: d\ntemplate: '{{input}} in {{tone}}'\n",
            to: "config/octet/prompts/needs.yaml")
        let result = try OctetProcess.run(["prompt", "--template", "needs", "x"], environment: env)
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr,
            "octet: template needs: variable \"tone\" has no value (give one with --var tone=VALUE)\n")
    }
}
