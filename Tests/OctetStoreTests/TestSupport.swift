import Foundation
import OctetChat
import XCTest
@testable import OctetStore

/// Values and helpers the store tests share.
enum Fixtures {
    /// Everything a reply can carry, with values that test the edges (a seed above Int64.max,
    /// long fractions).
    static let generation = GenerationInfo(
        model: "SmolLM2-135M-Instruct.Q4_1.gguf",
        modelHash: String(repeating: "ab", count: 32), template: "few-shot",
        sampling: SamplingSettings(
            temperature: 0.7, topK: 20, topP: 0.9, minP: 0.1, repeatPenalty: 1.1,
            repeatLastN: 32, seed: UInt64.max, maxTokens: 256),
        seed: 12_345_678_901_234_567_890, promptTokens: 31, generatedTokens: 40,
        tokensPerSecond: 55.123456789, promptTokensPerSecond: 410.5, timeToFirstToken: 0.0812,
        stopReason: "eos")

    /// A fixed time, on a whole millisecond.
    static let start = Date(timeIntervalSince1970: 1_746_091_800.125)

    /// A conversation with settings, a user message and a finished reply.
    static func conversation(
        title: String = "", user: String = "What is the capital of France?",
        reply: String = "The capital of France is Paris.", at start: Date = Fixtures.start
    ) -> Conversation {
        Conversation(
            title: title, created: start, model: "SmolLM2-135M-Instruct.Q4_1.gguf",
            chatFormat: "chatml", template: "few-shot", systemPrompt: "Be brief.\nBe kind.",
            sampling: SamplingSettings(
                temperature: 0.2, topK: 10, topP: 0.5, minP: 0.0, repeatPenalty: 1.3,
                repeatLastN: 16, seed: 42, maxTokens: 128),
            messages: [
                Message(role: .user, content: user, created: start.addingTimeInterval(1)),
                Message(
                    role: .assistant, content: reply, created: start.addingTimeInterval(2),
                    generation: generation),
            ])
    }

    /// `conversation` without any ids, to compare contents.
    static func withoutIDs(_ conversation: Conversation) -> Conversation {
        var copy = conversation
        copy.id = nil
        copy.messages = copy.messages.map { message in
            var message = message
            message.id = nil
            return message
        }
        return copy
    }
}

extension XCTestCase {
    /// A fresh folder, removed when the test ends.
    func makeTemporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("octet-store-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock {
            // Undo any chmod a test did, then remove.
            _ = try? FileManager.default.setAttributes(
                [.posixPermissions: 0o700], ofItemAtPath: url.path)
            try? FileManager.default.removeItem(at: url)
        }
        return url
    }

    /// Asserts that `body` throws exactly `expected`.
    func assertThrows<T>(
        _ expected: StoreError, file: StaticString = #filePath, line: UInt = #line,
        _ body: () throws -> T
    ) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual(error as? StoreError, expected, "\(error)", file: file, line: line)
        }
    }
}
