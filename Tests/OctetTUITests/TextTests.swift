import Foundation
import XCTest

@testable import OctetTUI

/// Display width against glibc's `wcwidth` (what ncurses and terminals use), wrapping, and
/// the input editor's handling of clusters.
final class TextTests: XCTestCase {
    // MARK: - Width

    func testWidthsOfScripts() {
        XCTAssertEqual(DisplayWidth.of("hello"), 5)
        XCTAssertEqual(DisplayWidth.of("你好"), 4)
        XCTAssertEqual(DisplayWidth.of("こんにちは"), 10)
        XCTAssertEqual(DisplayWidth.of("한국어"), 6)
        XCTAssertEqual(DisplayWidth.of("🙂"), 2)
        XCTAssertEqual(DisplayWidth.of("e\u{301}"), 1, "a combining mark adds nothing")
        XCTAssertEqual(DisplayWidth.of("\u{1100}\u{1161}\u{11A8}"), 2, "conjoining jamo form one syllable")
        XCTAssertEqual(DisplayWidth.of("🇫🇷"), 2)
        XCTAssertEqual(DisplayWidth.of("👨‍👩‍👧"), 2, "a ZWJ family counts as its first emoji")
        XCTAssertEqual(DisplayWidth.of("ＡＢ"), 4, "fullwidth forms")
        XCTAssertEqual(DisplayWidth.of("\u{301}"), 1, "a lone combining mark is drawn on a blank")
    }

    /// Every scalar of the planes in use measures as glibc's wcwidth says (C.UTF-8), except
    /// where glibc lags Unicode; those few are listed.
    func testWidthTableAgreesWithGlibc() throws {
        guard setlocale(LC_CTYPE, "C.UTF-8") != nil,
            let symbol = dlsym(dlopen(nil, RTLD_NOW), "wcwidth")
        else { throw XCTSkip("no C.UTF-8 locale or wcwidth") }
        typealias WcWidth = @convention(c) (Int32) -> Int32
        let wcwidth = unsafeBitCast(symbol, to: WcWidth.self)
        var disagreements: [String] = []
        for value in UInt32(0x20)...0x1FFFF {
            guard let scalar = Unicode.Scalar(value), scalar.properties.generalCategory != .unassigned,
                scalar.properties.generalCategory != .privateUse, !(0x7F..<0xA0).contains(value)
            else { continue }
            let theirs = Int(wcwidth(Int32(value)))
            guard theirs >= 0 else { continue }
            if DisplayWidth.of(scalar) != theirs { disagreements.append(String(value, radix: 16)) }
        }
        XCTAssertLessThan(disagreements.count, 4, "differs from glibc at: \(disagreements)")
    }

    // MARK: - Wrapping

    func testWrapAtSpacesAndBetweenIdeographs() {
        XCTAssertEqual(TextWrap.wrap("the quick brown fox", width: 10), ["the quick", "brown fox"])
        XCTAssertEqual(TextWrap.wrap("北京是中国的首都", width: 6), ["北京是", "中国的", "首都"])
        XCTAssertEqual(TextWrap.wrap("abcdefghij", width: 4), ["abcd", "efgh", "ij"])
        XCTAssertEqual(TextWrap.wrap("a\n\nb", width: 4), ["a", "", "b"])
    }

    func testWrapNeverSplitsClustersOrWideCharacters() {
        let text = "re\u{301}sume\u{301} 你好 🙂🙂 e\u{301}e\u{301}e\u{301}"
        for width in 2...12 {
            for line in TextWrap.wrap(text, width: width) {
                XCTAssertLessThanOrEqual(DisplayWidth.of(line), width, "\(line) at \(width)")
            }
            XCTAssertEqual(TextWrap.wrap(text, width: width).joined().filter { $0 != " " }, text.filter { $0 != " " })
        }
    }

    func testClosingPunctuationStaysOnItsLine() {
        XCTAssertEqual(TextWrap.wrap("北京是首都。", width: 10), ["北京是首", "都。"], "the ideograph goes down with it")
    }

    func testDisplayableShowsEscapesAsSymbols() {
        XCTAssertEqual(TextWrap.displayable("a\u{1B}[31mred\u{1B}[0m\tb\r\n"), "a␛[31mred␛[0m    b\n")
        XCTAssertEqual(TextWrap.displayable("x\u{7}\u{8}\u{9B}2J\u{202E}y\rz"), "x␇␈�2J�y\nz")
    }

    // MARK: - Editor

    func testCombiningMarkJoinsThePreviousCharacter() {
        var editor = InputEditor()
        editor.insert("e")
        editor.insert("\u{301}")
        XCTAssertEqual(editor.text, "e\u{301}")
        XCTAssertEqual(editor.cursor, 1)
        editor.backspace()
        XCTAssertEqual(editor.text, "", "Backspace removes the whole cluster")
    }

    func testEditingKeys() {
        var editor = InputEditor(text: "hello big world")
        _ = editor.handle(.control("w"), width: 40)
        XCTAssertEqual(editor.text, "hello big ")
        _ = editor.handle(.control("a"), width: 40)
        _ = editor.handle(.control("k"), width: 40)
        XCTAssertEqual(editor.text, "")
        editor.insert("你好世界")
        _ = editor.handle(.left, width: 40)
        _ = editor.handle(.backspace, width: 40)
        XCTAssertEqual(editor.text, "你好界")
        _ = editor.handle(.control("u"), width: 40)
        XCTAssertEqual(editor.text, "界")
    }

    func testUpDownMoveByVisualLinesThenHistory() {
        var editor = InputEditor()
        editor.history = ["old one", "old two"]
        editor.insert("中文中文中文")  // 12 columns: two rows at width 8
        XCTAssertEqual(editor.layout(width: 8).rows.count, 2)
        _ = editor.handle(.up, width: 8)
        XCTAssertEqual(editor.cursor, 2, "up one row, same column")
        _ = editor.handle(.up, width: 8)
        XCTAssertEqual(editor.text, "old two")
        _ = editor.handle(.up, width: 8)
        XCTAssertEqual(editor.text, "old one")
        _ = editor.handle(.down, width: 8)
        _ = editor.handle(.down, width: 8)
        XCTAssertEqual(editor.text, "中文中文中文", "the draft comes back")
    }

    func testCursorOfWideTextWrapsToTheNextRow() {
        let editor = InputEditor(text: "中文中文")
        let layout = editor.layout(width: 8)
        XCTAssertEqual(layout.rows.count, 2)
        XCTAssertEqual(layout.cursorRow, 1)
        XCTAssertEqual(layout.cursorColumn, 0)
    }
}
