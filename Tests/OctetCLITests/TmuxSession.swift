import Foundation
import XCTest

/// A program running in a detached tmux session of its own server, driven as a user would:
/// keys in with `send-keys`, the screen read back with `capture-pane` (issue 7's end-to-end
/// tests; `tmux -u` and `LANG=C.UTF-8` so that CJK works without a real terminal).
final class TmuxSession {
    let socket = "octet-test-\(UUID().uuidString.prefix(8))"
    let name = "t"

    /// Starts `command` (a shell command line) in a `columns`x`rows` window.
    init(command: String, columns: Int = 80, rows: Int = 24) throws {
        guard Self.available else { throw XCTSkip("tmux is not installed (make deps installs it)") }
        // remain-on-exit from the server's start, so that a program that exits at once
        // still leaves its screen to read.
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket).conf")
        try "set -g remain-on-exit on\n".write(to: config, atomically: true, encoding: .utf8)
        // The server this starts keeps any pipe it inherits open: give it none.
        try tmux(["-f", config.path, "-u", "new-session", "-d", "-s", name, "-x", "\(columns)", "-y", "\(rows)", command], capture: false)
    }

    deinit {
        _ = try? tmux(["kill-server"])
    }

    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")
            || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/tmux")
    }

    // MARK: - Driving

    /// Key names as tmux knows them (`Enter`, `C-c`, `M-Enter`, `PPage`, `F2`).
    func keys(_ keys: String...) throws {
        try tmux(["send-keys", "-t", name] + keys)
    }

    /// Text typed literally, character by character (CJK included).
    func type(_ text: String) throws {
        try tmux(["send-keys", "-t", name, "-l", text])
    }

    /// `text` pasted as a terminal pastes (bracketed, when the program asked for it), bytes
    /// as they are (`-r`: new lines not turned into CR).
    func paste(_ text: String) throws {
        // load-buffer from a file: a command line sent to the server is limited to ~16 KB.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-paste")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        try tmux(["load-buffer", "-b", "octet-test", file.path])
        try tmux(["paste-buffer", "-p", "-r", "-b", "octet-test", "-t", name])
    }

    /// A tmux format of the pane, e.g. `#{pane_title}`.
    func format(_ format: String) throws -> String {
        try tmux(["display-message", "-p", "-t", name, format]).trimmingCharacters(in: .newlines)
    }

    func resize(columns: Int, rows: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", "\(columns)", "-y", "\(rows)"])
    }

    /// The screen as text (`escapes`: with the colour and attribute sequences).
    func screen(escapes: Bool = false, history: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p", "-t", name] + (escapes ? ["-e"] : []) + (history ? ["-J", "-S", "-"] : []))
    }

    /// True once the program has exited.
    func exited() throws -> Bool {
        try tmux(["display-message", "-p", "-t", name, "#{pane_dead}"]).hasPrefix("1")
    }

    /// Waits until `condition` holds for the screen; fails with the screen after `timeout`
    /// (times `OctetProcess.timeScale`: sanitizer builds run many times slower).
    @discardableResult
    func wait(
        _ what: String, timeout: Double = 15, file: StaticString = #filePath, line: UInt = #line,
        until condition: (String) -> Bool
    ) throws -> String {
        let deadline = Date().addingTimeInterval(timeout * OctetProcess.timeScale)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTFail("timed out waiting for \(what); screen:\n\(last)", file: file, line: line)
        throw XCTSkip("gave up after the failure above")
    }

    @discardableResult
    func wait(for text: String, timeout: Double = 15, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try wait("\"\(text)\"", timeout: timeout, file: file, line: line) { $0.contains(text) }
    }

    // MARK: - tmux itself

    /// Runs tmux with posix_spawn and waitpid. (Foundation's Process sometimes never sees
    /// a tmux client exit that has just daemonized its server, and waits forever.)
    @discardableResult
    private func tmux(_ arguments: [String], capture: Bool = true) throws -> String {
        let argv = ["tmux", "-L", socket] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["LANG"] = "C.UTF-8"
        environment["TMUX"] = nil
        let envp = environment.map { "\($0.key)=\($0.value)" }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-\(UUID()).out").path
        defer { unlink(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, capture ? output : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        let status = Self.withCStrings(argv) { args in
            Self.withCStrings(envp) { env in posix_spawnp(&pid, "tmux", &actions, nil, args, env) }
        }
        guard status == 0 else { throw XCTSkip("cannot run tmux (\(status))") }
        var exit: Int32 = 0
        while waitpid(pid, &exit, 0) == -1 && errno == EINTR {}
        return capture ? ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "") : ""
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers = strings.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        return body(pointers)
    }
}
