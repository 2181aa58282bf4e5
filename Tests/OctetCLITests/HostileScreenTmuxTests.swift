import Foundation
import XCTest

/// Issue 8 in the chat screen on a real terminal (tmux): a model's escape sequences and a
/// paste's control characters are shown as symbols and never obeyed; tiny windows, rapid
/// resizes, a 100 KB paste, 10,000 messages and a hostile draft file neither crash nor hang.
final class HostileScreenTmuxTests: XCTestCase {
    typealias Tmux = ChatScreenTmuxTests
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("octet-hostile-tmux-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// `octet` itself with the sandbox's data and config folders.
    private func octetCommand(_ args: [String]) throws -> String {
        let sandbox = OctetProcess.sandboxEnvironment
        return Tmux.command(
            try OctetProcess.binary, args,
            environment: ["TERM": "xterm-256color", "XDG_DATA_HOME": sandbox["XDG_DATA_HOME"]!,
                          "XDG_CONFIG_HOME": sandbox["XDG_CONFIG_HOME"]!])
    }

    private func demoCommand(_ args: [String] = []) throws -> String {
        let store = folder.appendingPathComponent("store.json").path
        return Tmux.command(
            try Tmux.binary("octet-tui-demo"), ["--store", store, "--load-seconds", "0", "--token-ms", "5"] + args,
            environment: ["TERM": "xterm-256color"])
    }

    /// No raw control character, C1 control or bidi override in what tmux shows.
    private func assertNothingRaw(_ screen: String, line: UInt = #line) {
        XCTAssertEqual(TerminalProcess.rawControls(in: screen), [], screen, line: line)
    }

    // MARK: - Escapes

    func testAModelsEscapesAreShownNotObeyed() throws {
        let model = try HostileModel.write(in: folder)
        let db = folder.appendingPathComponent("octet.sqlite").path
        let session = try TmuxSession(command: try octetCommand(["--model", model, "--db", db]), columns: 90, rows: 24)
        try session.wait(for: "Type a message")
        let title = try session.format("#{pane_title}")
        try session.type("hi")
        try session.keys("Enter")
        let screen = try session.wait("the reply's symbols") { $0.contains("␛]0;PWN␇") && !$0.contains("streaming") }
        assertNothingRaw(screen)
        XCTAssertTrue(screen.contains("␈�2J��A"), screen)
        XCTAssertTrue(screen.hasPrefix(" Octet · hi"), "ESC [2J did not clear the screen: \(screen)")
        XCTAssertEqual(try session.format("#{pane_title}"), title, "OSC 0 did not set the window title")
        try session.keys("C-c")
        try session.wait("the program to exit") { _ in (try? session.exited()) ?? false }
    }

    func testPastedControlsAreShownInTheInputAndInTheTranscript() throws {
        let session = try TmuxSession(command: try demoCommand(), columns: 80, rows: 24)
        try session.wait(for: "Type a message")
        let title = try session.format("#{pane_title}")
        // (A DEL in a paste arrives as the Backspace key and is not part of the text.)
        try session.paste("paste\u{1B}]0;PWN\u{07}\u{1B}[31mred\tx\u{08}y")
        let input = try session.wait(for: "› paste␛]0;PWN␇␛[31mred␉x␈y")
        assertNothingRaw(input)
        try session.keys("Enter")
        let reply = try session.wait(for: "You asked: paste␛]0;PWN␇␛[31mred")
        assertNothingRaw(reply)
        XCTAssertTrue(reply.contains(" Octet · paste␛]0;PWN␇"), "the title bar: \(reply)")
        XCTAssertEqual(try session.format("#{pane_title}"), title)
        try session.keys("C-c", "C-c")
    }

    // MARK: - Sizes and lengths

    func testTinyWindowsAndRapidResizesWhileAReplyStreams() throws {
        // The shell reports the exit status: tmux 3.3a sometimes leaves an exited pane's
        // process unreaped (a zombie) for many seconds, with no #{pane_dead_status} yet.
        let session = try TmuxSession(
            command: try demoCommand(["--words", "3000"]) + " 2>/dev/null; echo exit-status=$?", columns: 80, rows: 24)
        try session.wait(for: "Type a message")
        try session.type("tell me a long story")
        try session.keys("Enter")
        try session.wait(for: "streaming")
        var random = SystemRandomNumberGenerator()
        let sizes = [(20, 6), (10, 3), (1, 1)] + (0..<40).map { _ in
            (Int.random(in: 1...120, using: &random), Int.random(in: 1...40, using: &random))
        }
        for (columns, rows) in sizes {
            try session.resize(columns: columns, rows: rows)
            Thread.sleep(forTimeInterval: 0.01)
        }
        try session.resize(columns: 20, rows: 6)
        try session.wait(for: "window too small")
        try session.resize(columns: 70, rows: 20)
        let screen = try session.wait("the screen at 70x20") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.first?.hasPrefix(" Octet · tell me a long story") == true && lines.count <= 21
                && lines.allSatisfy { DisplayWidthProbe.columns($0) <= 70 }
        }
        XCTAssertTrue(screen.contains("streaming"), "still streaming, not crashed: \(screen)")
        XCTAssertFalse(try session.exited())
        try session.keys("C-c", "C-c")
        // The line may have scrolled into the history by the time it is read.
        let status = try session.wait("the exit status") { _ in
            (try? session.screen(history: true))?.contains("exit-status=") == true
        }
        let all = try session.screen(history: true)
        XCTAssertTrue(all.contains("exit-status=0"), status + all)
    }

    func testAHundredKilobytePasteStaysResponsive() throws {
        let session = try TmuxSession(command: try demoCommand(["--words", "10"]), columns: 80, rows: 24)
        try session.wait(for: "Type a message")
        try session.paste(String(repeating: "W", count: 100_000))
        try session.wait(for: String(repeating: "W", count: 70), timeout: 10)
        let typed = Date()
        try session.type("Z")
        try session.wait(for: "WZ")
        XCTAssertLessThan(Date().timeIntervalSince(typed), 2, "a key after the paste shows at once")
        try session.keys("Enter")
        try session.wait("the echoed reply") { !$0.contains("streaming") && $0.contains("WWWWZ") && $0.contains("lazy") }
        try session.keys("PPage")
        try session.wait(for: "more below")
        try session.keys("C-c", "C-c")
    }

    func testTenThousandMessagesOpenAndScrollQuickly() throws {
        var messages: [[String: Any]] = []
        for i in 0..<5_000 {
            messages.append(["role": "user", "content": "question \(i)?", "created": "2025-05-01T09:30:00.000Z"])
            messages.append(["role": "assistant", "content": "answer \(i).", "created": "2025-05-01T09:30:01.000Z"])
        }
        let file = folder.appendingPathComponent("long.json")
        try JSONSerialization.data(withJSONObject: [
            "version": 1, "title": "long", "created": "2025-05-01T09:30:00.000Z", "messages": messages,
        ]).write(to: file)
        let db = folder.appendingPathComponent("octet.sqlite").path
        let imported = try OctetProcess.run(["import", file.path, "--db", db])
        XCTAssertEqual(imported.stdout, "1\n", imported.stderr)
        let model = try HostileModel.write(in: folder)
        let session = try TmuxSession(command: try octetCommand(["--model", model, "--db", db, "--resume", "1"]))
        try session.wait(for: "answer 4999.", timeout: 10)
        for page in 1...3 {
            let pressed = Date()
            try session.keys("PPage")
            try session.type("\(page)")
            try session.wait(for: "› " + (1...page).map(String.init).joined())
            XCTAssertLessThan(Date().timeIntervalSince(pressed), 2, "PgUp \(page) and a key")
        }
        XCTAssertFalse(try session.screen().contains("answer 4999."))
        try session.keys("C-u", "Escape")  // (End is ESC [4~ from tmux, not in xterm's terminfo)
        try session.wait(for: "answer 4999.")
        try session.keys("C-c")
        try session.wait("the program to exit") { _ in (try? session.exited()) ?? false }
    }

    // MARK: - The draft file

    /// A FIFO, a folder or a device at the draft's path: the screen starts at once and says
    /// why the draft was not restored; a folder there is never deleted.
    func testAHostileDraftFileIsReportedAndNotWaitedFor() throws {
        let draft = folder.appendingPathComponent("store.json.draft").path
        for plant in ["fifo", "folder", "device"] {
            try? FileManager.default.removeItem(atPath: draft)
            switch plant {
            case "fifo": XCTAssertEqual(mkfifo(draft, 0o600), 0)
            case "folder": try FileManager.default.createDirectory(atPath: draft + "/inside", withIntermediateDirectories: true)
            default: try FileManager.default.createSymbolicLink(atPath: draft, withDestinationPath: "/dev/zero")
            }
            let session = try TmuxSession(command: try demoCommand(), columns: 100, rows: 24)
            let screen = try session.wait(for: "(the draft was not restored)", timeout: 5)
            XCTAssertTrue(screen.contains("not a regular file"), screen)
            try session.keys("C-c")
            try session.wait("the demo to exit") { _ in (try? session.exited()) ?? false }
        }
        try? FileManager.default.removeItem(atPath: draft)
        try FileManager.default.createDirectory(atPath: draft + "/inside", withIntermediateDirectories: true)
        let session = try TmuxSession(command: try demoCommand())
        try session.wait(for: "(the draft was not restored)", timeout: 5)
        // A draft written and emptied again: saved over the folder (refused), then removed
        // (not the folder).
        try session.type("x")
        Thread.sleep(forTimeInterval: 1.3)
        try session.keys("BSpace")
        Thread.sleep(forTimeInterval: 1.3)
        try session.keys("C-c")
        try session.wait("the demo to exit") { _ in (try? session.exited()) ?? false }
        XCTAssertTrue(FileManager.default.fileExists(atPath: draft + "/inside"), "a folder there is the user's")
    }
}

/// Terminal columns of a captured line, roughly (wide CJK and emoji count two), to check that
/// nothing is drawn past the window's edge.
enum DisplayWidthProbe {
    static func columns(_ line: Substring) -> Int {
        line.unicodeScalars.reduce(0) { total, scalar in
            let wide = (0x1100...0x115F).contains(scalar.value) || (0x2E80...0xA4CF).contains(scalar.value)
                || (0xAC00...0xD7A3).contains(scalar.value) || (0xF900...0xFAFF).contains(scalar.value)
                || (0xFF00...0xFF60).contains(scalar.value) || (0x1F300...0x1FAFF).contains(scalar.value)
            return total + (scalar.properties.generalCategory == .nonspacingMark ? 0 : wide ? 2 : 1)
        }
    }
}
