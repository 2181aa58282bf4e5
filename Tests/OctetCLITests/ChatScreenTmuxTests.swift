import Foundation
import XCTest

/// The chat screen on a real terminal (tmux), through the real ncurses backend and runtime.
/// `octet-tui-demo` has made-up services; the same scenario runs on `octet` itself with the
/// real model once the executable opens the chat screen (issue 7, acceptance 2 and 3).
final class ChatScreenTmuxTests: XCTestCase {
    /// A binary built beside the tests.
    static func binary(_ name: String) throws -> URL {
        let beside = Bundle.main.bundleURL.deletingLastPathComponent()
        for url in [beside.appendingPathComponent(name), OctetProcess.packageRoot.appendingPathComponent(".build/debug/\(name)")]
        where FileManager.default.isExecutableFile(atPath: url.path) {
            return url
        }
        throw XCTSkip("\(name) is not built")
    }

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("octet-tmux-\(UUID().uuidString.prefix(8))-\(name)").path
    }

    /// A shell command line that runs `binary args` with `environment`.
    static func command(_ binary: URL, _ args: [String], environment: [String: String]) -> String {
        let env = (["LANG": "C.UTF-8"].merging(environment) { $1 }).sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let quoted = ([binary.path] + args).map { "'" + $0 + "'" }.joined(separator: " ")
        // `swift test` sets NO_COLOR for its children; only a test that asks for it gets it.
        let unset = environment["NO_COLOR"] == nil ? "-u NO_COLOR " : ""
        return "env \(unset)\(env) \(quoted)"
    }

    // MARK: - The scenario

    /// Pages up until `text` is on the screen (at most 30 pages).
    func scrollUp(_ session: TmuxSession, until text: String) throws {
        for _ in 0..<30 where !(try session.screen().contains(text)) {
            try session.keys("PPage")
            Thread.sleep(forTimeInterval: 0.1)
        }
        try session.wait(for: text)
    }

    /// No turn running (the empty input shows its idle prompt again, not "Ctrl-C stops the
    /// reply"; not "streaming", nor "waiting" for the model) and the conversation saved.
    /// "saved" alone also shows while a first message waits for the model to load.
    static func idleAndSaved(_ screen: String) -> Bool {
        screen.contains("Type a message") && !screen.contains("streaming")
            && !screen.contains(" waiting ") && screen.contains("saved")
    }

    /// Question in Chinese, a streamed reply, a reply stopped with Ctrl-C and a resize in the
    /// middle of one, `/template chain-of-thought`, a second question, `/quit`; then a restart
    /// with `--resume` shows the same transcript. `storeArgs` picks the history file.
    func runScenario(binary: URL, storeArgs: [String], environment: [String: String], replyTimeout: Double) throws {
        let args = storeArgs
        let session = try TmuxSession(command: Self.command(binary, args, environment: environment))
        try session.wait(for: "Type a message")
        try session.type("你好，世界 hello")
        try session.keys("Enter")
        try session.wait(for: "Assistant · 1", timeout: replyTimeout)
        try session.wait("the first reply to end", timeout: replyTimeout, until: Self.idleAndSaved)

        try session.type("Tell me a long story about a dragon")
        try session.keys("Enter")
        try session.wait(for: "streaming", timeout: replyTimeout)
        try session.resize(columns: 60, rows: 20)
        let resized = try session.wait("the reflowed screen") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.first?.hasPrefix(" Octet · ") == true && lines.count <= 21
        }
        XCTAssertTrue(resized.contains("你好，世界"), resized)
        try session.keys("C-c")
        try session.wait(for: "stopped", timeout: replyTimeout)

        try session.type("/template chain-of-thought")
        try session.keys("Enter")
        try session.wait(for: "template: chain-of-thought")
        try session.type("If I have 5 apples and eat 2, how many are left?")
        try session.keys("Enter")
        try session.wait(for: "chain-of-thought", timeout: replyTimeout)
        try session.wait("the third reply to end", timeout: replyTimeout, until: Self.idleAndSaved)
        try session.type("/quit")
        try session.keys("Enter")
        try session.wait("the program to exit") { _ in (try? session.exited()) ?? false }

        let resumed = try TmuxSession(command: Self.command(binary, args + ["--resume"], environment: environment))
        // Opened at the end; how far up the questions are depends on the replies' lengths.
        let screen = try resumed.wait(for: "conversation #1 · 6 messages")
        XCTAssertTrue(screen.contains("chain-of-thought"), screen)
        try scrollUp(resumed, until: "If I have 5 apples")
        try scrollUp(resumed, until: "你好，世界 hello")
        try resumed.keys("C-c")
        try resumed.wait("the resumed program to exit") { _ in (try? resumed.exited()) ?? false }
    }

    func testDemoScenario() throws {
        let demo = try Self.binary("octet-tui-demo")
        let store = Self.temporaryPath("store.json")
        defer { try? FileManager.default.removeItem(atPath: store) }
        try runScenario(
            binary: demo, storeArgs: ["--store", store, "--token-ms", "15", "--load-seconds", "0.3", "--words", "120"],
            environment: ["TERM": "xterm-256color"], replyTimeout: 15)
    }

    /// The real binary and model: runs once `octet` opens the chat screen (the lead wires it).
    func testRealModelScenario() throws {
        let octet = try OctetProcess.binary
        let db = Self.temporaryPath("octet.sqlite")
        defer {
            try? FileManager.default.removeItem(atPath: db)
            try? FileManager.default.removeItem(atPath: db + ".kvcache")
        }
        // The test run's own data folder and a config folder of this test: the draft file and
        // config.yaml of the user are never touched. The config bounds the replies (a fixed
        // seed, 200 tokens: long enough to be stopped mid-way) so the run takes seconds.
        let config = Self.temporaryPath("config")
        try FileManager.default.createDirectory(atPath: config + "/octet", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: config) }
        try "sampling:\n  seed: 5\n  max_tokens: 200\n"
            .write(toFile: config + "/octet/config.yaml", atomically: true, encoding: .utf8)
        try runScenario(
            binary: octet, storeArgs: ["--db", db],
            environment: ["TERM": "xterm-256color", "XDG_CONFIG_HOME": config,
                          "XDG_DATA_HOME": OctetProcess.sandboxEnvironment["XDG_DATA_HOME"]!],
            replyTimeout: 120)
        // The KV cache was saved beside the database after the replies (the newest state of
        // the conversation replaces the older ones; the last may not be written before /quit).
        let saved = (try? FileManager.default.contentsOfDirectory(atPath: db + ".kvcache")) ?? []
        XCTAssertFalse(saved.filter { $0.hasSuffix(".blob") }.isEmpty, "no saved KV cache in \(db).kvcache")
    }

    // MARK: - Terminals and colour

    /// TERM=xterm (8 colours), xterm-256color, NO_COLOR=1: all draw the screen, with the
    /// colour sequences each allows.
    func testColourLevels() throws {
        let demo = try Self.binary("octet-tui-demo")
        let basic = (30...37).map { "\u{1B}[\($0)m" } + (40...47).map { "\u{1B}[\($0)m" }
        let hasBasic: (String) -> Bool = { screen in basic.contains { screen.contains($0) } }
        let cases: [(env: [String: String], check: (String) -> Bool, what: String)] = [
            (["TERM": "xterm"], { !$0.contains("38;5;") && hasBasic($0) }, "8 colours only"),
            (["TERM": "xterm-256color"], { $0.contains("38;5;") }, "256-colour sequences"),
            (["TERM": "xterm-256color", "NO_COLOR": "1"], { !$0.contains("38;5;") && !hasBasic($0) && $0.contains("\u{1B}[7m") }, "no colour, reverse bars"),
        ]
        for (env, check, what) in cases {
            let store = Self.temporaryPath("store.json")
            defer { try? FileManager.default.removeItem(atPath: store) }
            let session = try TmuxSession(command: Self.command(demo, ["--store", store, "--load-seconds", "0"], environment: env))
            try session.wait(for: "Type a message")
            try session.type("hello 世界")
            try session.keys("Enter")
            try session.wait(for: "Assistant · 1")
            let colours = try session.screen(escapes: true)
            XCTAssertTrue(check(colours), "\(env): expected \(what):\n\(colours.prefix(600))")
            XCTAssertTrue(try session.screen().contains("hello 世界"))
            try session.keys("C-c", "C-c")
        }
    }

    /// No TERM, or one ncurses does not know: one clear line and exit status 1, not a crash.
    func testUnusableTerminalIsAnError() throws {
        let demo = try Self.binary("octet-tui-demo")
        let session = try TmuxSession(command: Self.command(demo, [], environment: ["TERM": "no-such-terminal"]) + " 2>&1; echo status=$?")
        try session.wait(for: "status=")
        // Joined wrapped lines, and the scrollback too: the line may have scrolled out.
        let screen = try session.screen(history: true)
        let joined = screen.replacingOccurrences(of: "\n", with: "")
        XCTAssertTrue(joined.contains("unknown terminal type \"no-such-terminal\""), screen)
        XCTAssertTrue(screen.contains("status=1"), screen)
    }
}
