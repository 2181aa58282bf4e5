import Foundation
import OctetChat
import XCTest

@testable import OctetTUI

/// Issue 8 in the chat screen, without a terminal: control characters from anywhere are
/// drawn as visible symbols and never reach a cell raw; tiny windows, huge texts and long
/// conversations render quickly and within the screen.
final class HostileScreenTests: XCTestCase {
    typealias T = TestSupport

    /// Escape sequences of every kind a terminal obeys, in one string.
    static let hostile =
        "A\u{1B}]0;PWN\u{07}\u{1B}[2J\u{1B}]52;c;aGk=\u{07}\u{1B}]8;;http://x\u{1B}\\link\u{08}\u{7F}"
        + "\u{9B}31m\u{85}\u{202E}gnp.exe\u{2066}\u{0}Z"

    // MARK: - The symbols

    func testEveryControlHasAVisibleSymbolOfOneColumn() {
        let expected: [(Unicode.Scalar, Unicode.Scalar)] = [
            ("\u{0}", "␀"), ("\u{7}", "␇"), ("\u{8}", "␈"), ("\t", "␉"), ("\n", "␊"), ("\r", "␍"),
            ("\u{1B}", "␛"), ("\u{1F}", "␟"), ("\u{7F}", "␡"), ("\u{80}", "�"), ("\u{9B}", "�"),
            ("\u{9F}", "�"), ("\u{61C}", "�"), ("\u{200E}", "�"), ("\u{200F}", "�"), ("\u{2028}", "�"),
            ("\u{2029}", "�"), ("\u{202A}", "�"), ("\u{202E}", "�"), ("\u{2066}", "�"), ("\u{2069}", "�"),
        ]
        for (control, symbol) in expected {
            XCTAssertEqual(TerminalText.symbol(for: control), symbol, "U+\(String(control.value, radix: 16))")
            XCTAssertEqual(DisplayWidth.of(Character(control)), 1)
            XCTAssertEqual(DisplayWidth.of(Character(symbol)), 1)
        }
        for printable in ["a", " ", "~", "\u{A0}", "é", "中", "🙂", "\u{200D}", "\u{200B}", "\u{FE0F}", "\u{2070}"] {
            let scalar = printable.unicodeScalars.first!
            XCTAssertNil(TerminalText.symbol(for: scalar), "U+\(String(scalar.value, radix: 16)) is drawn as itself")
        }
        XCTAssertEqual(TerminalText.visible(Character("\r\n")), "␍")
        XCTAssertEqual(TerminalText.visible("👩‍💻 ok"), "👩‍💻 ok", "a ZWJ sequence is not a control")
    }

    func testVisibleTextKeepsLinesOnlyWhenAsked() {
        XCTAssertEqual(TerminalText.visible("a\tb\nc\u{1B}[0m"), "a␉b␊c␛[0m")
        XCTAssertEqual(TerminalText.visible("a\tb\nc\u{1B}[0m", keepingLines: true), "a\tb\nc␛[0m")
        XCTAssertEqual(TerminalText.visible("plain 中文 🙂"), "plain 中文 🙂")
    }

    // MARK: - Cells

    /// No cell of `screen` holds a scalar a terminal would obey.
    private func assertNoRawControl(_ screen: Screen, line: UInt = #line) {
        for row in 0..<screen.size.rows {
            for column in 0..<screen.size.columns {
                let text = screen[row, column].text
                XCTAssertFalse(
                    text.unicodeScalars.contains(where: TerminalText.needsSymbol),
                    "cell \(row),\(column) holds \(text.debugDescription)", line: line)
            }
        }
    }

    func testScreenPutDrawsControlsAsSymbols() {
        var screen = Screen(size: Size(columns: 12, rows: 1), style: CellStyle())
        let end = screen.put("a\u{1B}[1m\u{7}\u{202E}z", row: 0, column: 0, style: CellStyle())
        XCTAssertEqual(end, 8, "one column each")
        XCTAssertEqual(screen.line(0), "a␛[1m␇�z    ")
        assertNoRawControl(screen)
    }

    func testTheBackendDrawsAControlInAHandMadeCellAsItsSymbol() throws {
        // The backend measures with wcwidth, in the UTF-8 locale it sets up at start.
        let previous = String(cString: setlocale(LC_CTYPE, nil))
        defer { setlocale(LC_CTYPE, previous) }
        try XCTSkipIf(setlocale(LC_CTYPE, "C.UTF-8") == nil, "no C.UTF-8 locale")
        let groups = NcursesBackend.groups("\u{1B}a\u{301}\u{202E}")
        XCTAssertEqual(groups, [[0x241B], [0x61, 0x301], [0xFFFD]])
    }

    func testHostileTextEverywhereOnScreenIsDrawnAsSymbols() {
        var state = T.state(columns: 70, rows: 20)
        state.conversation.title = Self.hostile
        T.exchange(&state, Self.hostile, reply: [Self.hostile, "\n", Self.hostile])
        state.notes.append(AppState.Note(after: 2, text: "error: " + Self.hostile, isError: true))
        let screen = App.render(state, size: state.size, theme: .fallback)
        assertNoRawControl(screen)
        XCTAssertTrue(screen.plainText.contains("A␛]0;PWN␇␛[2J"), screen.plainText)
        XCTAssertTrue(screen.plainText.contains("Octet · A␛]0;PWN"), "the title too: \(screen.plainText)")

        // F3: stored titles and snippets.
        let items = [ConversationSummary(id: 1, title: Self.hostile, updated: Date(), messageCount: 2, snippet: Self.hostile)]
        T.apply(&state, [T.key(.function(3)), .conversationsListed(query: "", items)])
        assertNoRawControl(App.render(state, size: state.size, theme: .fallback))
        T.apply(&state, [T.key(.character("r"))])
        assertNoRawControl(App.render(state, size: state.size, theme: .fallback))
        T.apply(&state, [T.key(.escape), T.key(.escape)])

        // F2: template descriptions.
        T.apply(&state, [T.key(.function(2)), .templatesListed([TemplateSummary(name: "evil", description: Self.hostile)])])
        assertNoRawControl(App.render(state, size: state.size, theme: .fallback))
    }

    func testPastedControlsAreKeptInTheTextAndShownWhereTheCursorCountsThem() {
        var state = T.state(columns: 40, rows: 12)
        T.apply(&state, [.input(.paste("a\tb\u{1B}[31mc\r\nd"))])
        XCTAssertEqual(state.input.text, "a\tb\u{1B}[31mc\nd", "the text as pasted, line breaks made one")
        let screen = App.render(state, size: state.size, theme: .fallback)
        assertNoRawControl(screen)
        let lines = screen.plainText.split(separator: "\n")
        XCTAssertTrue(lines.contains("› a␉b␛[31mc"), screen.plainText)
        XCTAssertEqual(screen.cursor?.column, 3, "after \"d\" on the second line")
        T.apply(&state, [T.key(.up), T.key(.end)])
        XCTAssertEqual(App.render(state, size: state.size, theme: .fallback).cursor?.column, 2 + 9)
    }

    // MARK: - Sizes and lengths

    func testTinyWindowsRenderWithoutCrashing() {
        var state = T.state(columns: 80, rows: 24)
        T.exchange(&state, "hello " + Self.hostile, reply: ["a reply 中文 🙂 ", Self.hostile])
        for (columns, rows) in [(20, 6), (10, 3), (1, 1), (2, 1), (1, 5), (0, 0), (300, 2)] {
            state.size = Size(columns: columns, rows: rows)
            let screen = App.render(state, size: state.size, theme: .fallback)
            XCTAssertEqual(screen.cells.count, max(0, columns * rows))
            assertNoRawControl(screen)
        }
    }

    func testAHundredKilobyteWordInTheInputAndInAReply() {
        var state = T.state(columns: 80, rows: 24)
        let word = String(repeating: "W", count: 100_000)
        let started = Date()
        T.apply(&state, [.input(.paste(word))])
        var screen = App.render(state, size: state.size, theme: .fallback)
        XCTAssertTrue(screen.plainText.contains(String(repeating: "W", count: 77)))
        T.exchange(&state, "", reply: [word, word])
        screen = App.render(state, size: state.size, theme: .fallback)
        for line in screen.plainText.split(separator: "\n") {
            XCTAssertLessThanOrEqual(DisplayWidth.of(line), 80)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "debug build; about 0.3 s")
    }

    /// 10,000 messages: scrolling and drawing cost a screenful, not the whole conversation
    /// (before: a PgUp took 4.4 s and every frame while scrolled up 4 s, debug build).
    func testTenThousandMessagesScrollAndDrawQuickly() {
        var state = T.state(columns: 100, rows: 30)
        for i in 0..<5_000 {
            state.conversation.messages.append(Message(role: .user, content: "question \(i)?"))
            state.conversation.messages.append(
                Message(role: .assistant, content: "answer \(i). " + String(repeating: "More words to wrap. ", count: 8)))
        }
        let started = Date()
        XCTAssertTrue(T.text(state).contains("answer 4999."))
        T.apply(&state, [T.key(.pageUp), T.key(.pageUp)])
        XCTAssertFalse(state.transcript.following)
        let scrolled = T.text(state)
        XCTAssertFalse(scrolled.contains("answer 4999."), scrolled)
        XCTAssertTrue(scrolled.contains("Assistant · 499"), "labels keep their numbers: \(scrolled)")
        // New text at the end does not move a scrolled view.
        T.exchange(&state, "", reply: ["streamed"], finish: false)
        state.transcript.following = false
        T.apply(&state, [T.key(.pageUp)])
        let before = T.text(state)
        T.apply(&state, [.chat(.text(" more"), at: state.now + 1)])
        XCTAssertEqual(T.text(state).split(separator: "\n").dropLast(3), before.split(separator: "\n").dropLast(3))
        for _ in 0..<6 { T.apply(&state, [T.key(.pageDown)]) }
        XCTAssertTrue(state.transcript.following, "back at the end")
        XCTAssertLessThan(Date().timeIntervalSince(started), 2, "debug build; about 0.1 s")
    }

    func testScrollingFromTheTopToTheEndVisitsEveryLineOnce() {
        var state = T.state(columns: 40, rows: 10)
        for i in 0..<30 { state.conversation.messages.append(Message(role: .user, content: "line \(i)")) }
        let rows = ScreenLayout(state: state).transcriptRows
        var seen: [String] = []
        T.apply(&state, [.input(.wheel(-10_000))])
        XCTAssertEqual(state.transcript.top, TranscriptPosition())
        while true {
            let layout = TranscriptLayout(state: state, width: 40)
            let lines = state.transcript.following
                ? layout.tail(rows) : layout.lines(from: state.transcript.top, count: rows)
            seen.append(lines.first.map { $0.segments.map(\.text).joined() } ?? "")
            if state.transcript.following { break }
            T.apply(&state, [.input(.wheel(1))])
        }
        // Three lines a message (label, text, blank): every top line once, in order.
        XCTAssertEqual(seen.count, 30 * 3 - rows + 1)
        XCTAssertEqual(seen.first, "You")
        XCTAssertEqual(seen[1], "  line 0")
    }
}
