import Foundation
import XCTest

/// Issue 8, hostile input on the command line: escape sequences, control characters, C1
/// controls, bidi overrides and invalid UTF-8 from a model, a stored title or a file name
/// are never written raw to a terminal; through a pipe the text stays exact.
final class HostileOutputTests: XCTestCase {
    private var folder: URL!
    private var db: String { folder.appendingPathComponent("octet.sqlite").path }
    private var model: String!

    /// A title with every kind: OSC 0 (window title), CSI colour, OSC 52 (clipboard) with
    /// BEL, backspace, CR, a C1 CSI, a bidi override, a new line.
    static let hostileTitle =
        "Say \u{1B}]0;PWNED\u{07}\u{1B}[31mred\u{1B}]52;c;aGk=\u{07}\u{08}\r\u{9B}2J \u{202E}fdp.exe\nnext"

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("octet-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        model = try HostileModel.write(in: folder)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// What the hostile model's cycle looks like on a terminal.
    static let cycleOnTerminal = "␛]0;PWN␇␍␈�2J��A\n"

    private func assertSafe(_ result: TerminalProcess.Result, line: UInt = #line) {
        XCTAssertNotNil(String(validating: result.stdout, as: UTF8.self), "not UTF-8", line: line)
        XCTAssertEqual(TerminalProcess.rawControls(in: result.text), [], result.text, line: line)
    }

    // MARK: - Model output

    func testAModelsEscapesAreShownOnATerminalAndExactThroughAPipe() throws {
        let args = ["run", "--model", model!, "--raw", "-n", "40", "x\n"]
        let piped = try OctetProcess.run(args)
        XCTAssertEqual(piped.status, 0, piped.stderr)
        let cycle = String(decoding: HostileModel.cycle, as: UTF8.self)
        XCTAssertEqual(piped.stdout, cycle + cycle, "exact text through a pipe (0xFF read as U+FFFD)")
        XCTAssertTrue(piped.stdout.contains("\u{1B}]0;PWN\u{07}"))

        let shown = try TerminalProcess.run(args)
        XCTAssertEqual(shown.status, 0, shown.stderr)
        assertSafe(shown)
        XCTAssertEqual(shown.text, Self.cycleOnTerminal + Self.cycleOnTerminal)
    }

    func testJSONOnATerminalEscapesWhatJSONEncoderLeavesRaw() throws {
        let args = ["run", "--model", model!, "--raw", "-n", "20", "--json", "x\n"]
        let piped = try OctetProcess.run(args)
        let shown = try TerminalProcess.run(args)
        assertSafe(shown)
        XCTAssertTrue(shown.text.contains("\\u009b2J\\u202e"), shown.text)
        let text = { (json: String) in
            (try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["text"] as? String
        }
        XCTAssertEqual(text(shown.text), text(piped.stdout), "the same JSON value")
        XCTAssertEqual(text(piped.stdout), String(decoding: HostileModel.cycle, as: UTF8.self))
    }

    // MARK: - Stored titles and messages

    /// Imports a conversation whose title and messages are hostile; returns its id.
    private func importHostile() throws -> String {
        let message = { (role: String) in
            ["role": role, "content": Self.hostileTitle + " searchword", "created": "2025-05-01T09:30:01.000Z"]
        }
        let object: [String: Any] = [
            "version": 1, "title": Self.hostileTitle, "created": "2025-05-01T09:30:00.000Z",
            "messages": [message("user"), message("assistant")],
        ]
        let file = folder.appendingPathComponent("t.json")
        try JSONSerialization.data(withJSONObject: object).write(to: file)
        let result = try OctetProcess.run(["import", file.path, "--db", db])
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testListShowSearchAndExportShowControlsOnATerminal() throws {
        let id = try importHostile()
        let shownTitle = "Say ␛]0;PWNED␇␛[31mred␛]52;c;aGk=␇␈␍�2J �fdp.exe␊next"
        for args in [["list"], ["search", "searchword"]] {
            let shown = try TerminalProcess.run(args + ["--db", db])
            XCTAssertEqual(shown.status, 0, shown.stderr)
            assertSafe(shown)
            XCTAssertTrue(shown.text.contains(shownTitle), shown.text)
            XCTAssertEqual(shown.text.split(separator: "\n").count, 1, "one row: \(shown.text)")
            // Through a pipe, the bytes as stored.
            XCTAssertTrue(try OctetProcess.run(args + ["--db", db]).stdout.contains(Self.hostileTitle))
        }
        for args in [["show", id], ["export", id], ["export", id, "--format", "json"], ["list", "--json"]] {
            let shown = try TerminalProcess.run(args + ["--db", db])
            XCTAssertEqual(shown.status, 0, shown.stderr)
            assertSafe(shown)
        }
        let markdown = try TerminalProcess.run(["show", id, "--db", db]).text
        XCTAssertTrue(markdown.contains("Say ␛]0;PWNED␇␛[31mred"), markdown)
        XCTAssertTrue(markdown.contains("\nnext searchword"), "new lines kept: \(markdown)")
        let piped = try OctetProcess.run(["show", id, "--db", db]).stdout
        XCTAssertTrue(piped.contains(Self.hostileTitle + " searchword"), "exact through a pipe")
    }

    // MARK: - Messages on stderr

    func testAFileNameWithControlsIsOneSafeLineOnStderr() throws {
        let name = "bad\u{1B}]0;PWN\u{07}\nline.yaml"
        let prompts = folder.appendingPathComponent("config/octet/prompts")
        try FileManager.default.createDirectory(at: prompts, withIntermediateDirectories: true)
        try Data("name: [\n".utf8).write(to: prompts.appendingPathComponent(name))
        let description = "\u{1B}[2J\u{202E} description"
        try Data("name: evil\ndescription: \"\\e[2J\\u202e description\"\ntemplate: \"{{input}}\"\n".utf8)
            .write(to: prompts.appendingPathComponent("evil.yaml"))
        let env = ["XDG_CONFIG_HOME": folder.appendingPathComponent("config").path]
        let piped = try OctetProcess.run(["templates"], environment: env)
        XCTAssertEqual(piped.status, 0, piped.stderr)
        let warnings = piped.stderr.split(separator: "\n")
        XCTAssertEqual(warnings.count, 1, piped.stderr)
        XCTAssertTrue(warnings[0].contains("bad␛]0;PWN␇␊line.yaml"), piped.stderr)
        XCTAssertEqual(TerminalProcess.rawControls(in: piped.stderr), [])
        XCTAssertTrue(piped.stdout.contains(description), "exact through a pipe")
        let shown = try TerminalProcess.run(["templates"], environment: env)
        assertSafe(shown)
        XCTAssertTrue(shown.text.contains("evil              ␛[2J� description  ("), shown.text)

        let missing = try OctetProcess.run(["run", "--model", folder.path + "/\u{1B}[31mnone\n.gguf", "hi"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr.split(separator: "\n").count, 1, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("␛[31mnone␊.gguf"), missing.stderr)
    }

    func testModelInfoShowsAHostileModelNameSafely() throws {
        let shown = try TerminalProcess.run(["model", "info", model!])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        assertSafe(shown)
        XCTAssertTrue(shown.text.contains("llama (hostile␛]0;PWN␇)"), shown.text)
    }
}
