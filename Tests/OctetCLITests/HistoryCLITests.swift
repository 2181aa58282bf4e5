import Foundation
import GRDB
import XCTest

/// `octet list | show | search | export | import | rename | delete`, run as a user would,
/// each test on its own temporary `--db`.
final class HistoryCLITests: XCTestCase {
    private var folder: URL!
    private var db: String { folder.appendingPathComponent("history/octet.sqlite").path }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("octet-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        _ = chmod(folder.appendingPathComponent("history").path, 0o700)
        try? FileManager.default.removeItem(at: folder)
    }

    // MARK: - Helpers

    /// Runs `octet args --db <this test's database>`.
    private func octet(_ args: [String], stdin: String? = nil) throws -> OctetProcess.Result {
        try OctetProcess.run(args + ["--db", db], stdin: stdin.map { Data($0.utf8) })
    }

    /// Writes a transcript file and returns its path.
    private func transcript(_ name: String, title: String, user: String, reply: String) throws -> String {
        let json = """
            {"version": 1, "title": "\(title)", "created": "2025-05-01T09:30:00.125Z",
             "updated": "2025-05-01T09:30:02.000Z", "model": "SmolLM2-135M-Instruct.Q4_1.gguf",
             "template": "few-shot", "sampling": {"temperature": 0.2, "seed": 42},
             "messages": [
               {"role": "user", "content": "\(user)", "created": "2025-05-01T09:30:01.000Z"},
               {"role": "assistant", "content": "\(reply)", "created": "2025-05-01T09:30:02.000Z",
                "model": "SmolLM2-135M-Instruct.Q4_1.gguf", "template": "few-shot", "seed": 7,
                "sampling": {"temperature": 0.2, "seed": 42}, "stop_reason": "eos"}]}
            """
        let path = folder.appendingPathComponent(name).path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func importSample() throws -> String {
        let file = try transcript(
            "paris.json", title: "Capital of France", user: "What is the capital of France?",
            reply: "The capital of France is Paris.")
        let result = try octet(["import", file])
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func jsonArray(_ text: String) throws -> [[String: Any]] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]], text)
    }

    private func jsonObject(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    /// One line on stderr starting `octet: `, exit status 1.
    private func assertUserError(
        _ result: OctetProcess.Result, contains text: String, line: UInt = #line
    ) {
        XCTAssertEqual(result.status, 1, result.stderr, line: line)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr, line: line)
        XCTAssertTrue(result.stderr.hasPrefix("octet: "), result.stderr, line: line)
        XCTAssertTrue(result.stderr.contains(text), result.stderr, line: line)
    }

    // MARK: - Read

    func testImportListShowAndExport() throws {
        // Given an imported transcript
        let id = try importSample()
        XCTAssertEqual(id, "1")
        // Then list shows it, as text and as JSON
        let list = try octet(["list"])
        XCTAssertEqual(list.status, 0)
        XCTAssertTrue(list.stdout.contains("    1  "), list.stdout)
        XCTAssertTrue(list.stdout.contains("Capital of France"), list.stdout)
        let rows = try jsonArray(try octet(["list", "--json"]).stdout)
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows[0]["id"] as? Int, 1)
        XCTAssertEqual(rows[0]["title"] as? String, "Capital of France")
        XCTAssertEqual(rows[0]["updated"] as? String, "2025-05-01T09:30:02.000Z")
        XCTAssertEqual(rows[0]["messages"] as? Int, 2)
        // And show prints what export --format md prints (the default format)
        let show = try octet(["show", id])
        XCTAssertEqual(show.status, 0)
        XCTAssertTrue(show.stdout.hasPrefix("# Capital of France\n"), show.stdout)
        XCTAssertTrue(show.stdout.contains("## User · 2025-05-01 09:30:01 UTC"), show.stdout)
        XCTAssertTrue(show.stdout.contains("- Template: few-shot"), show.stdout)
        XCTAssertEqual(try octet(["export", id]).stdout, show.stdout)
        XCTAssertEqual(try octet(["export", id, "--format", "md"]).stdout, show.stdout)
        // And export --format json has the documented fields
        let object = try jsonObject(try octet(["export", id, "--format", "json"]).stdout)
        XCTAssertEqual(object["version"] as? Int, 1)
        XCTAssertEqual(object["id"] as? Int, 1)
        XCTAssertEqual(object["title"] as? String, "Capital of France")
        let messages = try XCTUnwrap(object["messages"] as? [[String: Any]])
        XCTAssertEqual(messages.map { $0["role"] as? String }, ["user", "assistant"])
        XCTAssertEqual(messages[0]["created"] as? String, "2025-05-01T09:30:01.000Z")
        XCTAssertEqual(messages[1]["seed"] as? Int, 7)
    }

    func testExportDeleteImportRoundTrips() throws {
        // Given an exported conversation
        let id = try importSample()
        let exported = try octet(["export", id, "--format", "json"]).stdout
        let file = folder.appendingPathComponent("exported.json")
        try Data(exported.utf8).write(to: file)
        // When it is deleted and imported again
        XCTAssertEqual(try octet(["delete", id, "--yes"]).status, 0)
        XCTAssertEqual(try octet(["list", "--json"]).stdout, "[]\n")
        let newID = try octet(["import", file.path])
        // Then it has a new id, printed, and is otherwise identical
        XCTAssertEqual(newID.stdout, "2\n")
        let again = try octet(["export", "2", "--format", "json"]).stdout
        var before = try jsonObject(exported), after = try jsonObject(again)
        XCTAssertEqual(after["id"] as? Int, 2)
        before["id"] = nil
        after["id"] = nil
        XCTAssertEqual(NSDictionary(dictionary: before), NSDictionary(dictionary: after))
        // And it can come from stdin too
        XCTAssertEqual(try octet(["import", "-"], stdin: exported).stdout, "3\n")
    }

    func testSearchFindsEnglishChineseAndEmojiAdjacentWords() throws {
        _ = try importSample()
        let cjk = try transcript(
            "cjk.json", title: "编程", user: "我喜欢编程", reply: "I like programming 🙂")
        let emoji = try transcript(
            "emoji.json", title: "Rockets", user: "rocket🚀launch", reply: "Liftoff!")
        XCTAssertEqual(try octet(["import", cjk]).status, 0)
        XCTAssertEqual(try octet(["import", emoji]).status, 0)
        for (query, id, snippet) in [
            ("paris", 1, "The capital of France is [Paris]."), ("编程", 2, "我喜欢[编程]"),
            ("launch", 3, "rocket🚀[launch]"),
        ] {
            let result = try octet(["search", query, "--json"])
            XCTAssertEqual(result.status, 0, result.stderr)
            let rows = try jsonArray(result.stdout)
            XCTAssertEqual(rows.map { $0["id"] as? Int }, [id], query)
            XCTAssertEqual(rows.first?["snippet"] as? String, snippet, query)
            XCTAssertNotNil(rows.first?["title"] as? String)
            XCTAssertNotNil(rows.first?["updated"] as? String)
        }
        // One row per conversation, even when several messages match
        XCTAssertEqual(try jsonArray(try octet(["search", "capital", "--json"]).stdout).count, 1)
        let text = try octet(["search", "编程"])
        XCTAssertEqual(text.stdout, "    2  编程  —  我喜欢[编程]\n")
    }

    // MARK: - Change

    func testRenameAndDelete() throws {
        let id = try importSample()
        XCTAssertEqual(try octet(["rename", id, "Paris facts"]).status, 0)
        XCTAssertEqual(try jsonArray(try octet(["list", "--json"]).stdout)[0]["title"] as? String, "Paris facts")
        assertUserError(try octet(["rename", id, " "]), contains: "a title must not be empty")
        // delete without --yes, stdin not a terminal: refused, kept
        assertUserError(try octet(["delete", id]), contains: "without --yes")
        XCTAssertEqual(try jsonArray(try octet(["list", "--json"]).stdout).count, 1)
        XCTAssertEqual(try octet(["delete", id, "--yes"]).status, 0)
        assertUserError(try octet(["show", id]), contains: "no conversation with id 1")
    }

    func testDeleteAsksOnATerminal() throws {
        let id = try importSample()
        let binary = try OctetProcess.binary.path
        func onTerminal(_ answer: String) throws -> OctetProcess.Result {
            // `script` gives the command a pseudo-terminal and types `answer` into it.
            let command = "'\(binary)' delete \(id) --db '\(db)'"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-qec", command, "/dev/null"]
            let input = Pipe(), output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = output
            try process.run()
            input.fileHandleForWriting.write(Data((answer + "\n").utf8))
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return OctetProcess.Result(status: process.terminationStatus, stdout: text, stderr: "")
        }
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/script"))
        let kept = try onTerminal("n")
        XCTAssertEqual(kept.status, 0)
        XCTAssertTrue(kept.stdout.contains("Delete conversation 1 “Capital of France”? [y/N]"), kept.stdout)
        XCTAssertTrue(kept.stdout.contains("Kept conversation 1."), kept.stdout)
        XCTAssertEqual(try jsonArray(try octet(["list", "--json"]).stdout).count, 1)
        XCTAssertEqual(try onTerminal("y").status, 0)
        XCTAssertEqual(try octet(["list", "--json"]).stdout, "[]\n")
    }

    func testTheDefaultDatabaseIsPrivateUnderXDGDataHome() throws {
        // Given an XDG data folder whose octet folder another tool created world-readable
        let data = folder.appendingPathComponent("data")
        let octetFolder = data.appendingPathComponent("octet").path
        try FileManager.default.createDirectory(
            atPath: octetFolder, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o755])
        // When a history command runs without --db
        let result = try OctetProcess.run(["list"], environment: ["XDG_DATA_HOME": data.path])
        // Then the database is there, 0600, in a 0700 folder
        XCTAssertEqual(result.status, 0, result.stderr)
        func mode(_ path: String) throws -> Int? {
            (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?
                .intValue
        }
        XCTAssertEqual(try mode(octetFolder + "/octet.sqlite"), 0o600)
        XCTAssertEqual(try mode(octetFolder), 0o700)
    }

    // MARK: - Errors

    func testEveryErrorIsOneLineAndExitsOne() throws {
        _ = try importSample()
        let bad = folder.appendingPathComponent("bad.json").path
        try Data("{\"version\": 1}".utf8).write(to: URL(fileURLWithPath: bad))
        let cases: [([String], String)] = [
            (["show", "99"], "no conversation with id 99"),
            (["export", "99"], "no conversation with id 99"),
            (["export", "1", "--format", "xml"], "xml"),
            (["rename", "99", "t"], "no conversation with id 99"),
            (["delete", "99", "--yes"], "no conversation with id 99"),
            (["show", "abc"], "abc"),
            (["import", folder.appendingPathComponent("missing.json").path], "missing.json: cannot read"),
            (["import", bad], "bad.json: not an Octet transcript: missing messages"),
            (["search"], "query"),
        ]
        for (args, text) in cases {
            assertUserError(try octet(args), contains: text)
        }
    }

    func testANonDatabaseFileIsNamedAndLeftUntouched() throws {
        let path = folder.appendingPathComponent("notes.txt").path
        let bytes = Data("my notes\n".utf8)
        try bytes.write(to: URL(fileURLWithPath: path))
        for args in [["list"], ["import", try transcript("t.json", title: "t", user: "u", reply: "r")]] {
            let result = try OctetProcess.run(args + ["--db", path])
            assertUserError(result, contains: "\(path): not an Octet database")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), bytes)
    }

    func testADatabaseFromANewerOctetSaysSo() throws {
        _ = try importSample()
        // What a newer Octet leaves behind: a migration this one does not know.
        try DatabaseQueue(path: db).write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v2')") }
        assertUserError(try octet(["list"]), contains: "written by a newer Octet (migration v2)")
    }

    /// A read-only folder: a clear error, and what was saved is still there afterwards. Runs
    /// the binary as `nobody` when the tests run as root (root ignores permissions).
    func testAReadOnlyFolderIsAClearErrorAndLosesNothing() throws {
        let history = folder.appendingPathComponent("history").path
        try FileManager.default.createDirectory(atPath: history, withIntermediateDirectories: true)
        var prefix: [String] = []
        if getuid() == 0 {
            try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"))
            _ = chmod(folder.path, 0o755)
            _ = chown(history, 65534, 65534)
            prefix = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        }
        let file = try transcript("t.json", title: "Saved", user: "kept", reply: "yes")
        _ = chmod(file, 0o644)
        func run(_ args: [String]) throws -> OctetProcess.Result {
            let process = Process()
            let command = prefix + [try OctetProcess.binary.path] + args + ["--db", db]
            process.executableURL = URL(fileURLWithPath: command[0])
            process.arguments = Array(command.dropFirst())
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return OctetProcess.Result(status: process.terminationStatus, stdout: stdout, stderr: stderr)
        }
        XCTAssertEqual(try run(["import", file]).stdout, "1\n")
        // When the folder becomes read-only, writing is a clear error
        XCTAssertEqual(chmod(history, 0o500), 0)
        assertUserError(try run(["import", file]), contains: "\(db): cannot write the database")
        // When it is writable again, everything saved is there
        XCTAssertEqual(chmod(history, 0o700), 0)
        let rows = try jsonArray(try run(["list", "--json"]).stdout)
        XCTAssertEqual(rows.map { $0["title"] as? String }, ["Saved"])
        // A read-only file: the same, and it is not made writable behind the user's back
        XCTAssertEqual(chmod(db, 0o400), 0)
        assertUserError(try run(["import", file]), contains: "\(db): cannot write the database")
        XCTAssertEqual(chmod(db, 0o600), 0)
        XCTAssertEqual(try jsonArray(try run(["list", "--json"]).stdout).count, 1)
    }
}
