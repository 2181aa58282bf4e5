import Foundation
import GRDB
import XCTest

/// Issue 8, hostile files: what a user's config folder, `--db`, `--model` or stdin may point
/// at. Every case is one line `octet: <the file>: <why>` (or one warning, the rest still
/// loading), exit status 1 where the command cannot go on, no hang, no crash, nothing
/// overwritten.
final class HostileFileTests: XCTestCase {
    private var folder: URL!
    private var config: URL { folder.appendingPathComponent("config") }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("octet-hostile-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    // MARK: - Helpers

    /// Runs `octet args`, failing the test (not hanging it) when it takes over `timeout`.
    private func octet(
        _ args: [String], environment: [String: String] = [:], stdin: FileHandle? = nil,
        line: UInt = #line
    ) throws -> OctetProcess.Result {
        try run([try OctetProcess.binary.path] + args, environment: environment, stdin: stdin, line: line)
    }

    /// Runs `command` (a program and its arguments) in the sandbox environment with this
    /// test's config folder; kills it after 20 seconds.
    private func run(
        _ command: [String], environment: [String: String] = [:], stdin: FileHandle? = nil,
        line: UInt = #line
    ) throws -> OctetProcess.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        var env = OctetProcess.sandboxEnvironment
        env["XDG_CONFIG_HOME"] = config.path
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin ?? FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            process.terminate()
            XCTFail("\(command) still running after 20 s", line: line)
        }
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return OctetProcess.Result(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    /// Exit status 1 and exactly one line `octet: ...` containing every piece of `text`.
    private func assertOneLine(_ result: OctetProcess.Result, _ text: String..., line: UInt = #line) {
        XCTAssertEqual(result.status, 1, result.stderr, line: line)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr, line: line)
        XCTAssertTrue(result.stderr.hasPrefix("octet: "), result.stderr, line: line)
        for piece in text {
            XCTAssertTrue(result.stderr.contains(piece), "no \"\(piece)\" in: \(result.stderr)", line: line)
        }
    }

    private func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// The hostile files of a config folder, by name, each with what its message says.
    private func plantHostileFiles(in directory: URL, valid: String) throws -> [(String, String)] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = { (name: String) in directory.appendingPathComponent(name) }
        try Data((valid + "# " + String(repeating: "x", count: 1 << 20) + "\n").utf8).write(to: file("huge.yaml"))
        try Data([0x6E, 0x61, 0x6D, 0x65, 0x3A, 0x20, 0x00, 0x01, 0x02, 0xFF]).write(to: file("binary.yaml"))
        try Data("name: caf\u{E9}\n".utf8.map { $0 == 0xC3 ? 0xE9 : $0 }.filter { $0 != 0xA9 }).write(to: file("latin1.yaml"))
        try FileManager.default.createSymbolicLink(atPath: file("zero.yaml").path, withDestinationPath: "/dev/zero")
        try FileManager.default.createSymbolicLink(atPath: file("urandom.yaml").path, withDestinationPath: "/dev/urandom")
        try FileManager.default.createDirectory(at: file("folder.yaml"), withIntermediateDirectories: true)
        XCTAssertEqual(mkfifo(file("fifo.yaml").path, 0o644), 0)
        return [
            ("huge.yaml", "bytes, larger than the limit of 1048576 bytes (1 MiB); not read"),
            ("binary.yaml", "is a binary file (a NUL byte at offset 6)"),
            ("latin1.yaml", "is not UTF-8 text (invalid byte at offset 9)"),
            ("zero.yaml", "is a character device, not a regular file"),
            ("urandom.yaml", "is a character device, not a regular file"),
            ("folder.yaml", "is a directory, not a regular file"),
            ("fifo.yaml", "is a FIFO (named pipe), not a regular file"),
        ]
    }

    // MARK: - Prompts/ and Themes/

    func testHostileTemplateFilesAreRefusedOneLineEachAndTheOthersLoad() throws {
        let prompts = config.appendingPathComponent("octet/prompts")
        let expected = try plantHostileFiles(
            in: prompts, valid: "name: mine\ndescription: d\ntemplate: \"{{input}}\"\n")
        try Data("name: mine\ndescription: Mine.\ntemplate: \"{{input}}\"\n".utf8)
            .write(to: prompts.appendingPathComponent("mine.yaml"))
        let started = Date()
        let result = try octet(["templates"])
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "no hang on a FIFO or a device")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("mine "), result.stdout)
        XCTAssertTrue(result.stdout.contains("zero-shot"), "the shipped ones still load")
        let warnings = result.stderr.split(separator: "\n")
        XCTAssertEqual(warnings.count, expected.count, result.stderr)
        for (name, why) in expected {
            XCTAssertTrue(
                warnings.contains { $0.contains(prompts.appendingPathComponent(name).path + ": ") && $0.contains(why) },
                "\(name): \(why) not in\n\(result.stderr)")
        }
        // Asked for by name, the file's own problem is the error (after the warnings).
        let named = try octet(["prompt", "--template", "fifo", "--chat-format", "chatml", "hi"])
        XCTAssertEqual(named.status, 1)
        XCTAssertTrue(named.stderr.hasSuffix("fifo.yaml: is a FIFO (named pipe), not a regular file; not read\n"), named.stderr)
    }

    func testHostileThemeFilesAreRefusedOneLineEachAndTheOthersLoad() throws {
        let themes = config.appendingPathComponent("octet/themes")
        let dark = try String(
            contentsOf: OctetProcess.packageRoot.appendingPathComponent("Themes/dark.yaml"), encoding: .utf8)
        let expected = try plantHostileFiles(in: themes, valid: dark)
        let result = try octet(["themes"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("light "), result.stdout)
        let warnings = result.stderr.split(separator: "\n")
        XCTAssertEqual(warnings.count, expected.count, result.stderr)
        for (name, why) in expected {
            XCTAssertTrue(
                warnings.contains { $0.contains(themes.appendingPathComponent(name).path + ": ") && $0.contains(why) },
                "\(name): \(why) not in\n\(result.stderr)")
        }
    }

    func testAHostileConfigFileIsOneLineAndNoHang() throws {
        let octetConfig = config.appendingPathComponent("octet")
        let planted = try plantHostileFiles(in: octetConfig, valid: "theme: dark\n")
        let file = octetConfig.appendingPathComponent("config.yaml").path
        for (name, why) in planted {
            try? FileManager.default.removeItem(atPath: file)
            try FileManager.default.moveItem(
                atPath: octetConfig.appendingPathComponent(name).path, toPath: file)
            // The chat screen reads its config before it needs a terminal.
            assertOneLine(try octet(["--db", path("db.sqlite")]), file + ": ", why)
        }
    }

    /// Unreadable files (mode 000) as a user who is not root (root reads everything).
    func testUnreadableFilesAreNamedWhenNotRoot() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root to run octet as nobody") }
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"))
        _ = chmod(folder.path, 0o755)
        let octetConfig = config.appendingPathComponent("octet")
        for sub in ["prompts", "themes"] {
            try FileManager.default.createDirectory(
                at: octetConfig.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let dark = OctetProcess.packageRoot.appendingPathComponent("Themes/dark.yaml").path
        let files = ["prompts/locked.yaml", "themes/locked.yaml", "config.yaml"]
        for name in files {
            try FileManager.default.copyItem(atPath: dark, toPath: octetConfig.appendingPathComponent(name).path)
            _ = chmod(octetConfig.appendingPathComponent(name).path, 0o000)
        }
        for url in [config, octetConfig, octetConfig.appendingPathComponent("prompts"), octetConfig.appendingPathComponent("themes")] {
            _ = chmod(url.path, 0o755)
        }
        func asNobody(_ args: [String]) throws -> OctetProcess.Result {
            try run(
                ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                 try OctetProcess.binary.path] + args,
                environment: ["HOME": folder.path, "XDG_DATA_HOME": folder.appendingPathComponent("data").path])
        }
        let denied = "cannot be read: Permission denied"
        let templates = try asNobody(["templates"])
        XCTAssertTrue(templates.stderr.contains("prompts/locked.yaml: " + denied), templates.stderr)
        XCTAssertTrue(templates.stdout.contains("zero-shot"), templates.stdout)
        let themes = try asNobody(["themes"])
        XCTAssertTrue(themes.stderr.contains("themes/locked.yaml: " + denied), themes.stderr)
        assertOneLine(try asNobody(["--db", path("db.sqlite")]), "config.yaml: " + denied)
    }

    // MARK: - --db

    func testDatabasePathsThatAreNotDatabases() throws {
        try FileManager.default.createDirectory(atPath: path("folder.sqlite"), withIntermediateDirectories: true)
        XCTAssertEqual(mkfifo(path("fifo.sqlite"), 0o644), 0)
        try FileManager.default.createSymbolicLink(atPath: path("loop1"), withDestinationPath: path("loop2"))
        try FileManager.default.createSymbolicLink(atPath: path("loop2"), withDestinationPath: path("loop1"))
        let cases: [(String, String)] = [
            (path("folder.sqlite"), "not a regular file (a directory)"),
            (path("fifo.sqlite"), "not a regular file (a FIFO)"),
            ("/dev/null", "not a regular file (a character device)"),
            (path("loop1"), "Too many levels of symbolic links"),
            ("/proc/octet-missing/x.sqlite", "cannot create the folder /proc/octet-missing"),
        ]
        for (db, why) in cases {
            assertOneLine(try octet(["list", "--db", db]), db + ": " + why)
        }
    }

    func testAnotherProgramsSQLiteFileIsRefusedAndItsBytesAreUnchanged() throws {
        let other = path("other.sqlite")
        let queue = try DatabaseQueue(path: other)
        try queue.write { try $0.execute(sql: "CREATE TABLE people(name TEXT); INSERT INTO people VALUES ('Ada')") }
        try queue.close()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: other))
        for args in [["list"], ["search", "Ada"], ["run", "--save", "-n", "1", "hi"]] {
            assertOneLine(try octet(args + ["--db", other]), other + ": not an Octet database")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: other)), bytes, "not one byte changed")
    }

    func testAnEmptyFileBecomesAPrivateDatabase() throws {
        let empty = path("empty.sqlite")
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: nil, attributes: [.posixPermissions: 0o644]))
        let result = try octet(["list", "--db", empty])
        XCTAssertEqual(result.status, 0, result.stderr)
        let mode = try FileManager.default.attributesOfItem(atPath: empty)[.posixPermissions] as? NSNumber
        XCTAssertEqual(mode?.intValue, 0o600)
    }

    // MARK: - --model

    func testModelPathsThatAreNotModels() throws {
        try FileManager.default.createDirectory(atPath: path("folder.gguf"), withIntermediateDirectories: true)
        XCTAssertEqual(mkfifo(path("fifo.gguf"), 0o644), 0)
        XCTAssertTrue(FileManager.default.createFile(atPath: path("empty.gguf"), contents: nil))
        let cases: [(String, String)] = [
            (path("folder.gguf"), "cannot open: not a regular file"),
            (path("fifo.gguf"), "cannot open: not a regular file"),
            ("/dev/zero", "cannot open: not a regular file"),
            (path("empty.gguf"), "truncated header"),
        ]
        for (model, why) in cases {
            assertOneLine(try octet(["run", "--model", model, "hi"]), model + ": " + why)
            assertOneLine(try octet(["model", "info", model]), model + ": " + why)
        }
    }

    /// A huge sparse file (no disk used) whose valid header lies: an array of 40 GiB of bytes,
    /// and a tensor table that, if believed, would need more memory than any machine here.
    func testASparseFileWithLyingSizesIsOneLineAtOnce() throws {
        var header = Data("GGUF".utf8)
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { header.append(contentsOf: $0) } }
        func string(_ text: String) { append(UInt64(text.utf8.count)); header.append(contentsOf: text.utf8) }
        append(UInt32(3)); append(UInt64(0)); append(UInt64(2))
        string("general.architecture"); append(UInt32(8)); string("llama")
        string("tokenizer.ggml.tokens"); append(UInt32(9)); append(UInt32(8)); append(UInt64(6) << 30)
        let sparse = path("sparse.gguf")
        try header.write(to: URL(fileURLWithPath: sparse))
        XCTAssertEqual(truncate(sparse, 50 << 30), 0, "a 50 GiB sparse file")
        let started = Date()
        for args in [["run", "--model", sparse, "hi"], ["model", "info", sparse]] {
            assertOneLine(try octet(args), sparse + ": the metadata and tensor table would take more than the first 64 MiB")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    func testAModelClaimingAHugeContextIsOneLine() throws {
        var bytes = HostileModel.bytes()
        let key = Array("llama.context_length".utf8)
        let at = (0...(bytes.count - key.count)).first { Array(bytes[$0..<$0 + key.count]) == key }!
        let value = at + key.count + 4  // after the u32 type tag
        for (i, byte) in withUnsafeBytes(of: UInt32(Int32.max).littleEndian, Array.init).enumerated() {
            bytes[value + i] = byte
        }
        let model = path("context.gguf")
        try Data(bytes).write(to: URL(fileURLWithPath: model))
        assertOneLine(
            try octet(["run", "--model", model, "--raw", "hi"]),
            "llama.context_length: 2147483647 is more than the 16777216 Octet supports")
    }

    // MARK: - stdin

    func testEndlessStdinIsOneLine() throws {
        let zero = try XCTUnwrap(FileHandle(forReadingAtPath: "/dev/zero"))
        for args in [["tokenize"], ["run", "-"], ["prompt", "-"]] {
            assertOneLine(try octet(args, stdin: zero), "stdin is larger than 256 MiB")
        }
    }
}
