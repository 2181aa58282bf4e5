import Foundation
import XCTest

/// `octet run` end to end on the default model (the Makefile installs it before tests run).
final class RunCommandTests: XCTestCase {
    struct RunJSON: Decodable {
        struct Stats: Decodable {
            let prompt_tokens: Int
            let prompt_tok_s: Double
            let generated_tokens: Int
            let tok_s: Double
            let ttft_s: Double
            let stop_reason: String
        }
        let text: String
        let ids: [Int]
        let stats: Stats
    }

    func runJSON(_ args: [String], stdin: Data? = nil) throws -> RunJSON {
        let result = try OctetProcess.run(["run", "--json"] + args, stdin: stdin)
        XCTAssertEqual(result.status, 0, result.stderr)
        return try JSONDecoder().decode(RunJSON.self, from: Data(result.stdout.utf8))
    }

    // MARK: - Acceptance 4

    func testGreedyCountingMatchesTheReferenceExactly() throws {
        // ../shared/reference/forward_cases.json, case raw_counting: greedy.ids (every step
        // has a margin above 1.9, so an INT8 engine must reproduce all 32).
        let expected = [216, 39, 28, 216, 40, 28, 216, 41, 28, 216, 33, 32, 28, 216, 33, 33, 28,
                        216, 33, 34, 28, 216, 33, 35, 28, 216, 33, 36, 28, 216, 33, 37]
        let out = try runJSON(
            ["--raw", "-n", "32", "--temperature", "0", "--ignore-eos", "1, 2, 3, 4, 5, 6,"])
        XCTAssertEqual(out.ids, expected)
        XCTAssertEqual(out.text, " 7, 8, 9, 10, 11, 12, 13, 14, 15")
        XCTAssertEqual(out.stats.prompt_tokens, 17)
        XCTAssertEqual(out.stats.generated_tokens, 32)
        XCTAssertEqual(out.stats.stop_reason, "length")
        XCTAssertGreaterThan(out.stats.tok_s, 0)
        XCTAssertGreaterThan(out.stats.prompt_tok_s, 0)
        XCTAssertGreaterThan(out.stats.ttft_s, 0)
    }

    func testTheSameSeedGivesTheSameText() throws {
        let args = ["--seed", "7", "--temperature", "0.8", "-n", "24", "Tell me a story."]
        let first = try OctetProcess.run(["run"] + args)
        let second = try OctetProcess.run(["run"] + args)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertFalse(first.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        XCTAssertEqual(first.stdout, second.stdout)
        let other = try OctetProcess.run(["run", "--seed", "8"] + args.dropFirst(2))
        XCTAssertNotEqual(first.stdout, other.stdout, "another seed, another story")
    }

    // MARK: - Prompt

    func testTheChatFormatIsChatMLWithTheDefaultSystemPrompt() throws {
        let question = "What is the capital of France?"
        let chat = try runJSON(["--temperature", "0", "-n", "6", question])
        // forward_cases.json chat_capital_france: 37 prompt tokens, rendered like this.
        XCTAssertEqual(chat.stats.prompt_tokens, 37)
        let rendered = "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by "
            + "Hugging Face<|im_end|>\n<|im_start|>user\n\(question)<|im_end|>\n<|im_start|>assistant\n"
        let raw = try runJSON(["--raw", "--temperature", "0", "-n", "6", rendered])
        XCTAssertEqual(raw.ids, chat.ids)
        XCTAssertEqual(raw.stats.prompt_tokens, 37)
    }

    func testDashReadsThePromptFromStdinWithoutItsLastNewline() throws {
        let args = ["--raw", "-n", "3", "--temperature", "0"]
        let fromArgument = try runJSON(args + ["1, 2, 3,"])
        let fromStdin = try runJSON(args + ["-"], stdin: Data("1, 2, 3,\n".utf8))
        XCTAssertEqual(fromStdin.stats.prompt_tokens, fromArgument.stats.prompt_tokens)
        XCTAssertEqual(fromStdin.ids, fromArgument.ids)
    }

    // MARK: - Streaming

    func testStreamingCJKAndEmojiNeverWritesABrokenCharacter() throws {
        let chunks = try StreamingProcess.chunks(
            ["run", "--temperature", "0", "-n", "48", "--ignore-eos", "请用中文回答：你好吗？"])
        XCTAssertGreaterThan(chunks.count, 1, "the reply streams in pieces")
        for chunk in chunks {
            XCTAssertNotNil(String(data: chunk, encoding: .utf8), "a write split a character")
        }
        let text = String(decoding: chunks.reduce(Data(), +), as: UTF8.self)
        XCTAssertFalse(text.contains("\u{FFFD}"))
        XCTAssertTrue(text.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF })
    }

    func testAReplyCutMidCharacterEndsCleanly() throws {
        // 😏 takes three tokens here (10813, 242, 233): -n 1 and 2 stop inside it.
        for n in 1...3 {
            let out = try runJSON(
                ["--raw", "--temperature", "0", "-n", "\(n)", "Emoji: 😀😃😄😁"])
            XCTAssertFalse(out.text.contains("\u{FFFD}"), "-n \(n): \(out.text)")
            XCTAssertEqual(out.ids.count, n)
        }
    }

    // MARK: - Ctrl-C

    func testInterruptStopsAtOnceKeepsTheTextAndExitsZero() throws {
        for json in [false, true] {
            let args = ["run", "--ignore-eos", "-n", "100000"] + (json ? ["--json"] : [])
                + ["Write a long story about a dragon."]
            let run = try StreamingProcess.interrupted(args, afterBytes: json ? 0 : 40)
            XCTAssertEqual(run.status, 0, run.stderr)
            // Not a speed test: a run that ignored Ctrl-C would go on for 100,000 tokens.
            // Sanitizer builds (`make check`) are many times slower: OCTET_TIME_SCALE.
            XCTAssertLessThan(run.secondsToExit, 2 * OctetProcess.timeScale, "stopped at once")
            XCTAssertTrue(run.stdout.hasSuffix("\n"), "a clean line at the end")
            if json {
                let out = try JSONDecoder().decode(RunJSON.self, from: Data(run.stdout.utf8))
                XCTAssertEqual(out.stats.stop_reason, "cancelled")
                XCTAssertEqual(out.stats.generated_tokens, out.ids.count)
                XCTAssertLessThan(out.ids.count, 100_000)
            } else {
                XCTAssertGreaterThanOrEqual(run.stdout.utf8.count, 40)
            }
        }
    }

    // MARK: - Errors

    func testUserErrorsAreOneLineAndExitOne() throws {
        let cases: [([String], String)] = [
            (["--template", "no-such-template", "hi"], "octet: no prompt template named \"no-such-template\" (available: chain-of-thought, explain-code, few-shot, summarize, translate, zero-shot)"),
            (["--var", "a", "hi"], "octet: --var \"a\": expected KEY=VALUE"),
            (["--raw", "--system", "Be brief.", "hi"], "octet: --raw sends the prompt as is: no --template, --system or --chat-format"),
            (["--chat-format", "nope", "hi"], "octet: unknown chat format \"nope\" (known: chatml-smollm2, chatml, llama3, llama3-hf, mistral-v1, mistral-v0.2, llama2-sys, zephyr, gemma, phi3)"),
            (["--save", "--resume", "3", "hi"], "octet: --save and --resume exclude each other"),
            (["--top-p", "2", "hi"], "octet: top-p 2.0 is out of range (expected between 0 and 1 (1 = off))"),
            (["--temperature=-1", "hi"], "octet: temperature -1.0 is out of range (expected >= 0)"),
            (["-n=-5", "hi"], "octet: -n -5: must be 0 or more"),
            (["--threads", "0", "hi"], "octet: --threads 0: must be at least 1"),
            (["--ctx", "0", "hi"], "octet: --ctx 0: must be at least 1"),
        ]
        for (args, message) in cases {
            let result = try OctetProcess.run(["run"] + args)
            XCTAssertEqual(result.status, 1, "\(args)")
            XCTAssertEqual(result.stderr, message + "\n", "\(args)")
            XCTAssertEqual(result.stdout, "", "\(args)")
        }
        let missing = try OctetProcess.run(["run", "--model", "/nonexistent/m.gguf", "hi"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr.split(separator: "\n").count, 1, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("/nonexistent/m.gguf"), missing.stderr)
    }

    func testAPromptLongerThanTheContextIsAnError() throws {
        let result = try OctetProcess.run(["run", "--raw", "--ctx", "4", "1, 2, 3, 4, 5"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(
            result.stderr, "octet: the prompt has 13 tokens but the context window holds 4\n")
    }
}
