/// Text made safe to write to a terminal: no character that a terminal would act on instead
/// of showing reaches it raw (issue 8: a model, a pasted text, a stored title or a file name
/// can hold any of them).
///
/// Each such character is shown as one visible symbol of one column, so that lines keep
/// their length and a cursor over the text stays where it belongs:
///
/// | characters | shown as |
/// |---|---|
/// | C0 controls U+0000-U+001F (ESC, BEL, BS, CR, TAB, LF...) | their Control Picture, U+2400-U+241F: `␛ ␇ ␈ ␍ ␉ ␊` |
/// | DEL U+007F | `␡` (U+2421) |
/// | C1 controls U+0080-U+009F (CSI U+009B, OSC U+009D...) | `�` (U+FFFD) |
/// | bidi controls U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069 | `�` |
/// | line and paragraph separators U+2028, U+2029 | `�` |
///
/// Invalid UTF-8 never gets this far: every decoder on the way (the tokenizer's streaming
/// decoder, the command line, SQLite's text) has already turned it into U+FFFD.
/// `visible(_:keepingLines:)` keeps "\n" and "\t" where the text has a layout of its own
/// (a transcript on stdout); the chat screen handles line breaks and tabs before it draws,
/// so every cell goes through `visible(_:)` (one character each).
public enum TerminalText {
    // MARK: - Characters

    /// The symbol shown instead of `scalar`, or nil when the terminal shows it as itself.
    public static func symbol(for scalar: Unicode.Scalar) -> Unicode.Scalar? {
        let value = scalar.value
        if value < 0x20 { return Unicode.Scalar(0x2400 + value) }
        if value < 0x7F { return nil }
        if value == 0x7F { return "\u{2421}" }
        if value < 0xA0 { return replacement }
        if value < 0x61C { return nil }
        return isDirectionOrSeparator(value) ? replacement : nil
    }

    /// U+FFFD, for the controls that have no picture of their own.
    public static let replacement: Unicode.Scalar = "\u{FFFD}"

    /// The bidi embedding, override, isolate and mark characters, which reorder what a
    /// terminal with bidi support shows (the "Trojan Source" trick), and U+2028/U+2029.
    static func isDirectionOrSeparator(_ value: UInt32) -> Bool {
        switch value {
        case 0x61C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// Whether `scalar` must not reach a terminal raw.
    public static func needsSymbol(_ scalar: Unicode.Scalar) -> Bool {
        symbol(for: scalar) != nil
    }

    /// The character a screen cell shows for `character`: itself, or the symbol of the
    /// control it starts with. (A control is a grapheme cluster of its own; only CR LF is
    /// two scalars, shown as `␍`.)
    public static func visible(_ character: Character) -> Character {
        guard let first = character.unicodeScalars.first, let symbol = symbol(for: first) else {
            return character
        }
        return Character(symbol)
    }

    // MARK: - Strings

    /// `text` with every control character replaced by its symbol. With `keepingLines`,
    /// "\n" and "\t" stay as they are (text printed on stdout keeps its lines and indents);
    /// without it the result is always one line.
    public static func visible(_ text: some StringProtocol, keepingLines: Bool = false) -> String {
        let scalars = text.unicodeScalars
        guard scalars.contains(where: { needsSymbol($0) }) else { return String(text) }
        var out = String.UnicodeScalarView()
        for scalar in scalars {
            if keepingLines, scalar == "\n" || scalar == "\t" {
                out.append(scalar)
            } else {
                out.append(symbol(for: scalar) ?? scalar)
            }
        }
        return String(out)
    }
}
