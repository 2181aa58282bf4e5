import Foundation
import XCTest

@testable import OctetTUI

/// The shipped themes, their cell styles on screen, degrading, and broken theme files.
final class ThemeTests: XCTestCase {
    static var shipped: ThemeLibrary {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return ThemeLibrary(directories: [root.appendingPathComponent("Themes").path])
    }

    func testShippedThemesLoad() throws {
        let names = Self.shipped.names()
        XCTAssertEqual(names, ["dark", "high-contrast", "light", "solarized"])
        for name in names {
            let theme = try Self.shipped.theme(named: name)
            XCTAssertEqual(theme.name, name)
            XCTAssertFalse(theme.description.isEmpty)
            for element in ThemeElement.allCases {
                let style = theme.style(element)
                XCTAssertNotEqual(style.foreground, style.background, "\(name).\(element) is invisible")
                XCTAssertNotNil(style.foreground8, "\(name).\(element) has no 8-colour choice")
            }
        }
    }

    func testDarkFileMatchesTheBuiltInFallback() throws {
        XCTAssertEqual(try Self.shipped.theme(named: "dark"), Theme.fallback)
    }

    /// Each theme's styles land on the cells of the elements they colour.
    func testEachThemeStylesTheScreenCells() throws {
        var state = TestSupport.state(columns: 100, rows: 12)
        TestSupport.exchange(&state, "Hi", reply: ["Hello ", "there."])
        state.pendingWrites = 0
        for name in Self.shipped.names() {
            let theme = try Self.shipped.theme(named: name)
            let screen = App.render(state, size: state.size, theme: theme)
            XCTAssertEqual(screen[0, 1].style, theme.style(.title), name)
            XCTAssertEqual(screen[1, 0].style, theme.style(.userLabel), name)  // "You"
            XCTAssertEqual(screen[2, 2].style, theme.style(.userText), name)
            XCTAssertEqual(screen[4, 0].style, theme.style(.assistantLabel), name)
            XCTAssertEqual(screen[5, 2].style, theme.style(.assistantText), name)
            XCTAssertEqual(screen[9, 0].style, theme.style(.border), name)
            XCTAssertEqual(screen[10, 0].style, theme.style(.inputPrompt), name)
            XCTAssertEqual(screen[10, 2].style, theme.style(.input).adding(.dim), name)  // placeholder
            XCTAssertEqual(screen[11, 1].style, theme.style(.status), name)
            XCTAssertEqual(screen[11, 99].style, theme.style(.hint), name)
            XCTAssertEqual(screen[6, 10].style, theme.style(.text), name)
        }
    }

    func testDegradingKeepsTextLegible() throws {
        for name in Self.shipped.names() {
            let theme = try Self.shipped.theme(named: name)
            for level in [ColorLevel.palette256, .ansi8] {
                for element in [ThemeElement.text, .userText, .assistantText, .status, .selection, .code, .title] {
                    let style = theme.degraded(to: level).style(element)
                    XCTAssertTrue(style.foreground != style.background || style.foreground == .default, "\(name).\(element) at \(level)")
                }
            }
            let mono = theme.degraded(to: .none)
            XCTAssertEqual(mono.style(.status).attributes, [.reverse], "the status bar stays visible without colour")
            XCTAssertEqual(mono.style(.selection).attributes, [.reverse])
            XCTAssertEqual(mono.style(.text).foreground, .default)
        }
    }

    func testColourArithmetic() {
        XCTAssertEqual(ColorLevel.to256(.rgb(255, 0, 0)), .indexed(196))
        XCTAssertEqual(ColorLevel.to256(.rgb(128, 128, 128)), .indexed(244))
        XCTAssertEqual(ColorLevel.to8(.rgb(250, 250, 250)), .ansi(7))
        XCTAssertEqual(ColorLevel.to8(.rgb(10, 10, 30)), .ansi(0))
        XCTAssertEqual(ColorLevel.to8(.ansi(12)), .ansi(4))
    }

    func testColourLevelDetection() {
        XCTAssertEqual(ColorLevel.detect(colors: 256, hasColors: true, environment: [:]), .palette256)
        XCTAssertEqual(ColorLevel.detect(colors: 8, hasColors: true, environment: [:]), .ansi8)
        XCTAssertEqual(ColorLevel.detect(colors: 0x1000000, hasColors: true, environment: [:]), .truecolor)
        XCTAssertEqual(ColorLevel.detect(colors: 256, hasColors: true, environment: ["NO_COLOR": "1"]), .none)
        XCTAssertEqual(ColorLevel.detect(colors: 256, hasColors: true, environment: ["NO_COLOR": ""]), .palette256)
        XCTAssertEqual(ColorLevel.detect(colors: 0, hasColors: false, environment: [:]), .none)
    }

    // MARK: - Broken files

    func testErrorsNameFileLineAndField() {
        let cases: [(String, String)] = [
            ("elements:\n  text: { fg: blu }\n", "/x/broken.yaml:2: elements.text.fg: unknown colour \"blu\""),
            ("elements:\n  text: { fg: red }\n  titel: { fg: red }\n", "/x/broken.yaml:3: elements.titel: unknown element"),
            ("name: other\nelements:\n  text: {}\n", "/x/broken.yaml:1: name: \"other\" does not match the file name \"broken\""),
            ("elements:\n  title: { fg: red }\n", "/x/broken.yaml:2: elements.text: missing: every theme needs `text`"),
            ("elements:\n  text: { fg: red, style: [blink] }\n", "/x/broken.yaml:2: elements.text.style: unknown attribute \"blink\" (bold, dim, italic, underline, reverse)"),
            ("elements:\n  text: { fg8: \"#123456\" }\n", "/x/broken.yaml:2: elements.text.fg8: an 8-colour choice must be default or black ... white"),
            ("elements: [\n", "/x/broken.yaml:2"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try ThemeParser().parse(text, file: "/x/broken.yaml")) { error in
                XCTAssertTrue("\(error)".hasPrefix(expected), "\(error)")
            }
        }
    }

    /// A crash reached by the theme fuzz target: Yams reads `1:30` as a base-60 number and trapped when
    /// one overflowed `Int`; such a colour is now just an unknown colour.
    func testBase60ColourIndexesAreRejectedNotCrashing() throws {
        for value in ["999999999999999999:0", "1:999999999999999999:30", "1:1:1:1:1:1:1:1:1:1:1", "1:30"] {
            XCTAssertThrowsError(try ThemeParser().parse("elements:\n  text: { fg: \(value) }\n", file: "/x/t.yaml")) {
                XCTAssertEqual("\($0)", "/x/t.yaml:2: elements.text.fg: unknown colour \"\(value)\" (#rrggbb, a name, default or 0-255)")
            }
        }
        let theme = try ThemeParser().parse("elements:\n  text: { fg: 0x10, bg: 2_0 }\n", file: "/x/t.yaml")
        XCTAssertEqual(theme.style(.text).foreground, .indexed(16))
        XCTAssertEqual(theme.style(.text).background, .indexed(20))
    }

    func testBrokenThemeFallsBackToDefaultWithAMessage() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("octet-themes-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "elements:\n  text: { fg: nope }\n".write(to: directory.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let library = ThemeLibrary(directories: [directory.path] + Self.shipped.directories)
        let (theme, problem) = library.themeOrFallback(named: "bad")
        XCTAssertEqual(theme, Theme.fallback)
        XCTAssertEqual(problem, directory.appendingPathComponent("bad.yaml").path + ":2: elements.text.fg: unknown colour \"nope\" (#rrggbb, a name, default or 0-255); using the dark theme")
        let (_, missing) = library.themeOrFallback(named: "nosuch")
        XCTAssertTrue(missing?.hasPrefix("no theme named \"nosuch\"") ?? false)
        var state = TestSupport.state()
        TestSupport.apply(&state, [.themeChanged(name: theme.name, problem: problem)])
        XCTAssertEqual(state.notes.last?.isError, true)
    }
}
