import Foundation
import XCTest

/// `octet run` with prompt templates, system prompts and chat formats (issue 5, acceptance 3):
/// the prompt it sends is exactly the one `octet prompt` shows.
final class RunTemplateTests: XCTestCase {
    private struct RunJSON: Decodable {
        struct Stats: Decodable {
            let prompt_tokens: Int
            let generated_tokens: Int
            let stop_reason: String
        }
        let text: String
        let stats: Stats
    }

    private struct PromptJSON: Decodable {
        let text: String
        let token_count: Int
    }

    /// No user templates: only the shipped ones.
    private let env = ["XDG_CONFIG_HOME": "/nonexistent-octet-config"]

    private func run(_ args: [String]) throws -> RunJSON {
        let result = try OctetProcess.run(["run", "--json", "--temperature", "0"] + args, environment: env)
        XCTAssertEqual(result.status, 0, result.stderr)
        return try JSONDecoder().decode(RunJSON.self, from: Data(result.stdout.utf8))
    }

    private func prompt(_ args: [String]) throws -> PromptJSON {
        let result = try OctetProcess.run(["prompt", "--json"] + args, environment: env)
        XCTAssertEqual(result.status, 0, result.stderr)
        return try JSONDecoder().decode(PromptJSON.self, from: Data(result.stdout.utf8))
    }

    func testTranslateSendsTheFewShotPromptAndReplies() throws {
        let args = ["--template", "translate", "我喜欢编程"]
        let reply = try run(["-n", "16"] + args)
        XCTAssertEqual(reply.stats.prompt_tokens, try prompt(args).token_count)
        XCTAssertFalse(reply.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        XCTAssertTrue(reply.text.unicodeScalars.contains { $0.properties.isAlphabetic && $0.isASCII },
                      "an English reply: \(reply.text)")
        print("translate: \(reply.text.debugDescription)")
    }

    func testChainOfThoughtSendsItsPrompt() throws {
        let args = ["--template", "chain-of-thought", "If I have 5 apples and eat 2, how many are left?"]
        let reply = try run(["-n", "64"] + args)
        let shown = try prompt(args)
        XCTAssertEqual(reply.stats.prompt_tokens, shown.token_count)
        XCTAssertTrue(shown.text.contains("Let's think step by step."))
        XCTAssertTrue(shown.text.contains("\nAnswer: 4<|im_end|>"), "the worked example")
        XCTAssertGreaterThan(reply.stats.generated_tokens, 0)
        print("chain-of-thought: \(reply.text.debugDescription)")
    }

    func testSystemVariablesAndChatFormatReachThePrompt() throws {
        let system = ["--system", "Answer with one word.", "Capital of France?"]
        XCTAssertEqual(try run(["-n", "4"] + system).stats.prompt_tokens, try prompt(system).token_count)
        let variable = ["--template", "translate", "--var", "language=French", "Good morning"]
        XCTAssertEqual(try run(["-n", "4"] + variable).stats.prompt_tokens, try prompt(variable).token_count)
        let format = ["--chat-format", "chatml", "Hello"]
        XCTAssertEqual(try run(["-n", "4"] + format).stats.prompt_tokens, try prompt(format).token_count)
        XCTAssertLessThan(try prompt(format).token_count, try prompt(["Hello"]).token_count,
                          "plain ChatML has no default system prompt")
    }
}
