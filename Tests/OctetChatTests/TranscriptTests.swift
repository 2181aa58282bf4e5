import Foundation
import XCTest
@testable import OctetChat

/// Markdown and JSON transcripts: what they contain, and that JSON reads back identical.
final class TranscriptTests: XCTestCase {
    private let start = Date(timeIntervalSince1970: 1_746_091_800.125)

    private var reply: GenerationInfo {
        GenerationInfo(
            model: "SmolLM2-135M-Instruct.Q4_1.gguf", modelHash: String(repeating: "ab", count: 32),
            template: "few-shot",
            sampling: SamplingSettings(
                temperature: 0.7, topK: 20, topP: 0.9, minP: 0.1, repeatPenalty: 1.1,
                repeatLastN: 32, seed: UInt64.max, maxTokens: 256),
            seed: 12_345_678_901_234_567_890, promptTokens: 31, generatedTokens: 40,
            tokensPerSecond: 55.123456789012, promptTokensPerSecond: 410.5,
            timeToFirstToken: 0.0812, stopReason: "eos")
    }

    private func sample() -> Conversation {
        Conversation(
            id: 12, title: "Capital of France", created: start,
            updated: start.addingTimeInterval(4.5), model: "SmolLM2-135M-Instruct.Q4_1.gguf",
            chatFormat: "chatml", template: "few-shot", systemPrompt: "Be brief.\nBe kind.",
            sampling: SamplingSettings(
                temperature: 0.2, topK: 10, topP: 0.5, minP: 0, repeatPenalty: 1.3,
                repeatLastN: 16, seed: 42, maxTokens: 128),
            messages: [
                Message(id: 1, role: .user, content: "What is the capital of France? 我喜欢编程 🙂",
                        created: start.addingTimeInterval(1)),
                Message(id: 2, role: .assistant, content: "Paris.", created: start.addingTimeInterval(2),
                        generation: reply),
                Message(id: 3, role: .user, content: "And Italy?", created: start.addingTimeInterval(3)),
                Message(id: 4, role: .assistant, content: "Rome", created: start.addingTimeInterval(4),
                        complete: false, generation: GenerationInfo(model: "m.gguf")),
            ])
    }

    // MARK: - Markdown

    func testMarkdownHasTheTitleSettingsAndEachMessageWithRoleAndTime() {
        let markdown = Transcript.markdown(sample())
        XCTAssertTrue(markdown.hasPrefix("# Capital of France\n"))
        for line in [
            "- Conversation: 12", "- Model: SmolLM2-135M-Instruct.Q4_1.gguf", "- Chat format: chatml",
            "- Template: few-shot", "- Created: 2025-05-01 09:30:00 UTC", "> Be brief.", "> Be kind.",
            "## User · 2025-05-01 09:30:01 UTC", "What is the capital of France? 我喜欢编程 🙂",
            "## Assistant · 2025-05-01 09:30:02 UTC", "Paris.",
            "*SmolLM2-135M-Instruct.Q4_1.gguf · template few-shot · 40 tokens · 55.1 tok/s · seed 12345678901234567890*",
            "*interrupted: this reply did not finish · m.gguf*",
        ] {
            XCTAssertTrue(markdown.contains(line + "\n"), "missing line: \(line)\n\(markdown)")
        }
    }

    func testAStoppedReplySaysSo() {
        var conversation = sample()
        conversation.messages[3].generation?.stopReason = "cancelled"
        XCTAssertTrue(Transcript.markdown(conversation).contains("*stopped by the user · m.gguf*"))
    }

    // MARK: - JSON

    func testJSONHasTheDocumentedFields() throws {
        let data = try Transcript.json(sample())
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object["version"] as? Int, 1)
        XCTAssertEqual(object["id"] as? Int, 12)
        XCTAssertEqual(object["title"] as? String, "Capital of France")
        XCTAssertEqual(object["created"] as? String, "2025-05-01T09:30:00.125Z")
        XCTAssertEqual(object["chat_format"] as? String, "chatml")
        XCTAssertEqual(object["system_prompt"] as? String, "Be brief.\nBe kind.")
        let messages = try XCTUnwrap(object["messages"] as? [[String: Any]])
        XCTAssertEqual(messages.count, 4)
        XCTAssertEqual(messages[0]["role"] as? String, "user")
        XCTAssertEqual(messages[0]["created"] as? String, "2025-05-01T09:30:01.125Z")
        XCTAssertNil(messages[0]["model"])
        let answer = messages[1]
        XCTAssertEqual(answer["content"] as? String, "Paris.")
        XCTAssertEqual(answer["model"] as? String, "SmolLM2-135M-Instruct.Q4_1.gguf")
        XCTAssertEqual(answer["template"] as? String, "few-shot")
        XCTAssertEqual((answer["sampling"] as? [String: Any])?["top_k"] as? Int, 20)
        XCTAssertNotNil(answer["seed"])
        XCTAssertEqual(answer["stop_reason"] as? String, "eos")
        XCTAssertEqual(messages[3]["complete"] as? Bool, false)
        // Exact big integers, as text
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains("\"seed\" : 12345678901234567890"), text)
        XCTAssertTrue(text.contains("\"seed\" : 18446744073709551615"), text)
    }

    func testJSONReadsBackIdenticalWithoutIds() throws {
        // Given a conversation whose times are whole milliseconds (as the store keeps them)
        let original = sample()
        // When it is exported and imported
        let back = try Transcript.conversation(fromJSON: Transcript.json(original))
        // Then only the ids differ
        var expected = original
        expected.id = nil
        for index in expected.messages.indices { expected.messages[index].id = nil }
        XCTAssertEqual(back, expected)
    }

    func testAHandWrittenTranscriptNeedsOnlyTheEssentials() throws {
        let json = """
            {"version": 1, "messages": [
              {"role": "user", "content": "hi", "created": "2025-01-02T03:04:05Z"},
              {"role": "assistant", "content": "hello", "created": "2025-01-02T05:04:06.5+02:00",
               "model": "m.gguf", "sampling": {"temperature": 0}}]}
            """
        let conversation = try Transcript.conversation(fromJSON: Data(json.utf8))
        XCTAssertEqual(conversation.title, "")
        XCTAssertEqual(conversation.messages.map(\.complete), [true, true])
        XCTAssertEqual(conversation.created, Transcript.date(iso8601: "2025-01-02T03:04:05.000Z"))
        XCTAssertEqual(conversation.updated, Transcript.date(iso8601: "2025-01-02T03:04:06.500Z"))
        XCTAssertEqual(conversation.messages[1].generation?.sampling.temperature, 0)
        XCTAssertEqual(conversation.messages[1].generation?.sampling.topK, SamplingSettings.default.topK)
        XCTAssertEqual(conversation.sampling, .default)
    }

    func testBadTranscriptsAreOneLineErrorsSayingWhere() {
        let cases: [(String, String)] = [
            ("not json", "not an Octet transcript: not JSON"),
            ("{\"version\": 1}", "not an Octet transcript: missing messages"),
            ("{\"messages\": []}", "not an Octet transcript: missing version"),
            ("{\"version\": 1, \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}",
             "not an Octet transcript: missing messages[0].created"),
            ("{\"version\": 1, \"messages\": [{\"role\": \"bot\", \"content\": \"x\", \"created\": \"2025-01-01T00:00:00Z\"}]}",
             "not an Octet transcript: messages[0].role: unknown role \"bot\""),
            ("{\"version\": 1, \"messages\": [{\"role\": \"user\", \"content\": \"x\", \"created\": \"yesterday\"}]}",
             "not an Octet transcript: messages[0].created: not an ISO 8601 time"),
            // Fuzzing found a signed year, which the formatter read but did not write back.
            ("{\"version\": 1, \"messages\": [{\"role\": \"user\", \"content\": \"x\", \"created\": \"-2025-05-02T10:00:03.000Z\"}]}",
             "not an Octet transcript: messages[0].created: not an ISO 8601 time"),
            ("{\"version\": 1, \"messages\": [{\"role\": \"user\", \"content\": 5, \"created\": \"2025-01-01T00:00:00Z\"}]}",
             "not an Octet transcript: messages[0].content: wrong type"),
            ("{\"version\": 2, \"messages\": []}", "transcript version 2 is newer than this Octet reads (1)"),
        ]
        for (json, expected) in cases {
            XCTAssertThrowsError(try Transcript.conversation(fromJSON: Data(json.utf8)), json) { error in
                XCTAssertEqual("\(error)", expected, json)
            }
        }
    }

    // MARK: - Times

    func testTimesAreISO8601UTCWithMilliseconds() {
        XCTAssertEqual(Transcript.iso8601(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(Transcript.iso8601(Date(timeIntervalSince1970: -0.001)), "1969-12-31T23:59:59.999Z")
        XCTAssertEqual(Transcript.iso8601(start), "2025-05-01T09:30:00.125Z")
        XCTAssertEqual(Transcript.date(iso8601: "2025-05-01T11:30:00.125+02:00"), start)
        XCTAssertEqual(Transcript.date(iso8601: "2025-05-01T09:30:00.1254Z"), start)
        XCTAssertNil(Transcript.date(iso8601: "2025-05-01"))
        XCTAssertNil(Transcript.date(iso8601: "2025-05-01T09:30:00.Z"))
        XCTAssertNil(Transcript.date(iso8601: "-2025-05-02T10:00:03.000Z"))
        XCTAssertNil(Transcript.date(iso8601: "+12025-05-02T10:00:03Z"))
        XCTAssertNil(Transcript.date(iso8601: "0000-12-31T23:00:00Z"), "before year 1")
        XCTAssertNotNil(Transcript.date(iso8601: "0001-01-01T00:00:00.000Z"))
        XCTAssertNotNil(Transcript.date(iso8601: "9999-12-31T23:59:59.999Z"))
        for milliseconds in [Int64(0), 1, 999, 1_746_091_800_125, -1, -86_400_001] {
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            XCTAssertEqual(Transcript.date(iso8601: Transcript.iso8601(date)), date, "\(milliseconds)")
        }
    }
}
