import XCTest
import Foundation

/// `octet logits` and `octet bench`, run as a user would (the default model must be installed;
/// the Makefile guarantees it for `make test`).
final class EngineCommandTests: XCTestCase {
    static var modelPath: String {
        let env = ProcessInfo.processInfo.environment
        let data = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (env["HOME"] ?? "") + "/.local/share"
        return data + "/octet/models/SmolLM2-135M-Instruct.Q4_1.gguf"
    }

    func requireModel() throws {
        guard FileManager.default.fileExists(atPath: Self.modelPath) else {
            throw XCTSkip("default model not installed (run `make model`)")
        }
    }

    func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    func testLogitsTopKHighestFirst() throws {
        try requireModel()
        let r = try OctetProcess.run(["logits", "--top", "5", "The capital of France is"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let items = try XCTUnwrap(try json(r.stdout) as? [[String: Any]])
        XCTAssertEqual(items.count, 5)
        let ids = items.compactMap { $0["id"] as? Int }, logits = items.compactMap { $0["logit"] as? Double }
        XCTAssertEqual(ids.first, 7042, "the reference's argmax (\" Paris\")")
        XCTAssertEqual(logits.first ?? 0, 17.37, accuracy: 1.5)
        XCTAssertEqual(logits, logits.sorted(by: >))
    }

    func testLogitsWholeRowFromStandardInput() throws {
        try requireModel()
        let r = try OctetProcess.run(["logits", "--top", "0", "-"], stdin: Data("The capital of France is\n".utf8))
        XCTAssertEqual(r.status, 0, r.stderr)
        let items = try XCTUnwrap(try json(r.stdout) as? [[String: Any]])
        XCTAssertEqual(items.count, 49152)
        XCTAssertEqual(items.first?["id"] as? Int, 7042, "the trailing newline is dropped")
    }

    func testLogitsUserErrorsAreOneLine() throws {
        for args in [["logits", "--top", "-1", "x"], ["logits", "--model", "/nonexistent.gguf", "x"], ["logits", ""]] {
            if args.count == 2 { try requireModel() }
            let r = try OctetProcess.run(args)
            XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertTrue(r.stderr.hasPrefix("octet: "), r.stderr)
        }
    }

    func testBenchPrintsOneJSONLine() throws {
        try requireModel()
        let r = try OctetProcess.run(["bench", "-p", "16", "-n", "4", "-t", "1", "--reps", "1", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n").count, 1)
        let object = try XCTUnwrap(try json(r.stdout) as? [String: Any])
        for key in ["pp_tok_s", "tg_tok_s", "load_s", "peak_rss_mb"] {
            XCTAssertGreaterThan(object[key] as? Double ?? 0, 0, key)
        }
        XCTAssertEqual(object["threads"] as? Int, 1)
        XCTAssertEqual(object["model"] as? String, "SmolLM2-135M-Instruct.Q4_1.gguf")
    }

    func testBenchTableAndErrors() throws {
        try requireModel()
        let r = try OctetProcess.run(["bench", "-p", "8", "-n", "0", "--reps", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("pp8"), r.stdout)
        XCTAssertFalse(r.stdout.contains("tg"), r.stdout)
        let bad = try OctetProcess.run(["bench", "--reps", "0"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.hasPrefix("octet: "), bad.stderr)
    }
}
