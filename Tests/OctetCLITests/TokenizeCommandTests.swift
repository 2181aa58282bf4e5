import Foundation
import XCTest

/// `octet tokenize` against the reference tokenizer's cases, as a user runs it.
final class TokenizeCommandTests: XCTestCase {
    struct Case: Decodable {
        let name: String
        let text: String
        let ids: [Int]
    }

    func referenceCases() throws -> [Case] {
        struct File: Decodable { let cases: [Case] }
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Resources/tokenizer_cases.json", withExtension: nil))
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
    }

    func ids(_ stdout: String) throws -> [Int] {
        try JSONDecoder().decode([Int].self, from: Data(stdout.utf8))
    }

    /// Every fifth reference case through stdin (byte for byte: all of them are checked in
    /// process by OctetTokenizerTests; here the point is the command), some as an argument.
    func testReferenceCasesThroughStdinAndArgument() throws {
        let cases = try referenceCases()
        XCTAssertEqual(cases.count, 123)
        for (index, golden) in cases.enumerated() where index % 5 == 0 {
            let viaStdin = try OctetProcess.run(["tokenize"], stdin: Data(golden.text.utf8))
            XCTAssertEqual(viaStdin.status, 0, viaStdin.stderr)
            XCTAssertEqual(try ids(viaStdin.stdout), golden.ids, golden.name)
            guard index % 10 == 0, !golden.text.hasPrefix("-") else { continue }
            let viaArgument = try OctetProcess.run(["tokenize", golden.text])
            XCTAssertEqual(try ids(viaArgument.stdout), golden.ids, golden.name)
        }
    }

    func testTrailingNewlineIsKept() throws {
        let result = try OctetProcess.run(["tokenize"], stdin: Data("a\n".utf8))
        XCTAssertEqual(try ids(result.stdout), [81, 198])
    }

    func testBadInputIsOneLineAndExitOne() throws {
        let invalid = try OctetProcess.run(["tokenize"], stdin: Data([0x61, 0xFF, 0xFE]))
        XCTAssertEqual(invalid.status, 1)
        XCTAssertEqual(invalid.stderr, "octet: stdin is not valid UTF-8 (at byte 1)\n")

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("octet-tok-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let notGGUF = dir.appendingPathComponent("model.gguf")
        try Data("not a model at all".utf8).write(to: notGGUF)
        for (path, problem) in [(notGGUF.path, "not a GGUF file"), (dir.path + "/none.gguf", "cannot open")] {
            let result = try OctetProcess.run(["tokenize", "--model", path, "hi"])
            XCTAssertEqual(result.status, 1)
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
            XCTAssertTrue(result.stderr.hasPrefix("octet: \(path): \(problem)"), result.stderr)
        }
    }
}
