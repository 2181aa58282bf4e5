import Foundation
import OctetTUI

/// What the commands write, made safe for a terminal (issue 8): a model's reply, a stored
/// title, a template's description or a file name may hold escape sequences and other
/// control characters, which a terminal would obey (set the window title, clear the screen,
/// write to the clipboard) instead of showing.
///
/// - stdout on a terminal: every control character but "\n" and "\t" is shown as its symbol
///   (`TerminalText`: `␛`, `␇`, `␍`...; `�` for C1 and bidi controls); in one-line places
///   (a row of `octet list`) "\n" and "\t" too. JSON on a terminal escapes the characters
///   JSONEncoder leaves raw (DEL, C1, bidi, U+2028/U+2029) as `\uXXXX`: the same JSON.
/// - stdout that is not a terminal (a pipe, a file): the text exactly, byte for byte, as
///   scripts expect.
/// - stderr: always one safe line, terminal or not (messages are for people, and one line).
enum TerminalOutput {
    /// Whether stdout is a terminal (checked once: it does not change while we run).
    static let stdoutIsTerminal = isatty(STDOUT_FILENO) == 1

    /// Text for stdout that keeps its lines (a transcript, a reply).
    static func text(_ text: String) -> String {
        stdoutIsTerminal ? TerminalText.visible(text, keepingLines: true) : text
    }

    /// Text for one line of stdout (a title, a description, a path in a list).
    static func field(_ text: String) -> String {
        stdoutIsTerminal ? TerminalText.visible(text) : text
    }

    /// A message for stderr: one line, every control character as its symbol.
    static func message(_ text: String) -> String {
        TerminalText.visible(text)
    }

    /// Encoded JSON for stdout: on a terminal, the characters JSONEncoder writes raw that a
    /// terminal would act on become `\uXXXX` escapes (they can only be inside strings).
    static func json(_ data: Data) -> Data {
        guard stdoutIsTerminal else { return data }
        let text = String(decoding: data, as: UTF8.self)
        guard text.unicodeScalars.contains(where: TerminalText.needsSymbol) else { return data }
        var out = ""
        for scalar in text.unicodeScalars {
            if TerminalText.needsSymbol(scalar) {
                out += String(format: "\\u%04x", scalar.value)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return Data(out.utf8)
    }
}
