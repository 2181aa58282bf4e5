import Foundation
import XCTest

/// The saved KV cache beside the database (`<db>.kvcache`, issue 6 point 4), as
/// `octet run --resume` uses it: a resume that restores it says exactly what one that reads
/// the whole conversation says, only sooner; a damaged file is ignored and removed.
final class KVCacheCLITests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("octet-kvcache-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    var database: String { directory.appendingPathComponent("octet.sqlite").path }
    var cacheFolder: String { database + ".kvcache" }

    // MARK: - Helpers

    private func octet(_ args: [String]) throws -> OctetProcess.Result {
        let result = try OctetProcess.run(args + ["--db", database])
        XCTAssertEqual(result.status, 0, "\(args): \(result.stderr)")
        return result
    }

    /// A stored conversation of about 700 tokens (three long exchanges); its id.
    private func importLongConversation() throws -> String {
        let topics = ["rivers", "mountains", "deserts"]
        var messages: [[String: Any]] = []
        for (i, topic) in topics.enumerated() {
            let facts = (1...12).map { "Fact \($0) about \(topic): they shape the land over many thousands of years." }
            messages.append(["role": "user", "content": "Tell me about \(topic), in detail.",
                             "created": "2025-05-01T09:3\(i):00.000Z"])
            messages.append(["role": "assistant", "content": facts.joined(separator: " "),
                             "created": "2025-05-01T09:3\(i):30.000Z", "stop_reason": "eos"])
        }
        let object: [String: Any] = [
            "version": 1, "title": "Geography", "created": "2025-05-01T09:30:00.000Z",
            "updated": "2025-05-01T09:32:30.000Z", "model": "SmolLM2-135M-Instruct.Q4_1.gguf",
            "messages": messages,
        ]
        let file = try write(JSONSerialization.data(withJSONObject: object), "long.json")
        return try octet(["import", file]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func write(_ data: Data, _ name: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// `octet import` of conversation `id`'s JSON export: an identical copy; its id.
    private func copy(_ id: String) throws -> String {
        let exported = try octet(["export", id, "--format", "json"]).stdout
        let file = try write(Data(exported.utf8), "copy-\(UUID().uuidString).json")
        return try octet(["import", file]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `octet run --resume ID --json` greedy: (ids, text, ttft_s).
    private func resume(_ id: String, _ question: String) throws -> (ids: [Int], text: String, ttft: Double) {
        let result = try octet(["run", "--resume", id, "--json", "-n", "8", "--temperature", "0", question])
        XCTAssertEqual(result.stderr, "")
        let object = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
        let stats = try XCTUnwrap(object["stats"] as? [String: Any])
        XCTAssertGreaterThan(stats["prompt_tokens"] as? Int ?? 0, 600)
        return (try XCTUnwrap(object["ids"] as? [Int]), try XCTUnwrap(object["text"] as? String),
                try XCTUnwrap(stats["ttft_s"] as? Double))
    }

    private func blobFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: cacheFolder).filter { $0.hasSuffix(".blob") }
    }

    // MARK: - Tests

    func testAResumeWithTheSavedCacheSaysTheSameSoonerAndADamagedOneIsIgnored() throws {
        // Given a long conversation that was resumed once (the state after it is saved) ...
        let first = try importLongConversation()
        _ = try resume(first, "Which of them is the oldest?")
        XCTAssertEqual(try blobFiles().count, 1)
        // ... and an identical copy of it
        let second = try copy(first)

        // When the first is resumed with the saved cache, and the copy without it
        let cached = try resume(first, "And the youngest?")
        XCTAssertEqual(try blobFiles().count, 1, "the newer state replaces the older one")
        try FileManager.default.removeItem(atPath: cacheFolder)
        let uncached = try resume(second, "And the youngest?")

        // Then the replies are the same, token for token; only the first token came sooner
        XCTAssertEqual(cached.ids, uncached.ids)
        XCTAssertEqual(cached.text, uncached.text)
        XCTAssertLessThan(cached.ttft, uncached.ttft / 2, "restored, not read again")
        print("time to first token: \(cached.ttft) s restored, \(uncached.ttft) s read again")

        // When the saved state (of the copy, now equal to the first) is damaged on disk
        let third = try copy(second)
        let blobs = try blobFiles()
        XCTAssertEqual(blobs.count, 1)
        let damaged = URL(fileURLWithPath: cacheFolder + "/" + blobs[0])
        var bytes = try Data(contentsOf: damaged)
        bytes[bytes.count / 2] ^= 0x40
        try bytes.write(to: damaged)
        let afterDamage = try resume(second, "Which is the largest?")
        // Then it is ignored (a full prefill gives the reply a copy gets without a cache) and gone
        XCTAssertFalse(try blobFiles().contains(blobs[0]))
        try FileManager.default.removeItem(atPath: cacheFolder)
        let plain = try resume(third, "Which is the largest?")
        XCTAssertEqual(afterDamage.ids, plain.ids)
        XCTAssertEqual(afterDamage.text, plain.text)
    }
}
