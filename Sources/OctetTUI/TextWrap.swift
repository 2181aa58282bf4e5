/// Breaks text into lines that fit a width in terminal columns.
///
/// Lines break at spaces when they can, and between two wide (CJK) characters, which need
/// no space; a word longer than the width is cut. Measured with `DisplayWidth`, one
/// grapheme cluster at a time, so a combining mark never leaves its letter and a wide
/// character is never split.
public enum TextWrap {
    // MARK: - Cleaning

    /// `text` made safe to draw: line breaks of every kind (CR LF, a lone CR, VT, FF, NEL,
    /// U+2028, U+2029) become "\n", tabs four spaces, and every other control character
    /// (an escape sequence from a model, a BEL, a bidi override) its visible symbol, one
    /// column each (`TerminalText`), so that nothing is hidden and nothing reaches the
    /// terminal raw.
    public static func displayable(_ text: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            if character.isNewline {
                out.append("\n")  // also CR LF, a single Character in Swift
            } else if character == "\t" {
                out += "    "
            } else {
                out.append(TerminalText.visible(character))
            }
        }
        return out
    }

    // MARK: - Wrapping

    /// `text` split at its new lines, each line word-wrapped to `width` columns.
    public static func wrap(_ text: String, width: Int) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).flatMap {
            wrapLine($0, width: width)
        }
    }

    /// One line (no "\n") word-wrapped to `width` columns; at least one (maybe empty) line.
    /// Closing punctuation never starts a line and opening punctuation never ends one
    /// (the basic rule of CJK line breaking), so "名胜古迹." keeps its full stop.
    public static func wrapLine(_ line: Substring, width: Int) -> [String] {
        let width = max(1, width)
        var lines: [String] = []
        var current: [Character] = []
        var currentWidth = 0
        // Where a break may go (the line keeps current[..<breakAt]), and the one before it.
        var breakAt: Int?
        var earlierBreak: Int?
        func allowBreak(at index: Int) {
            guard breakAt != index else { return }
            earlierBreak = breakAt
            breakAt = index
        }
        for character in line {
            let w = DisplayWidth.of(character)
            let closing = isClosing(character)
            if closing, breakAt == current.count { breakAt = earlierBreak }
            while currentWidth + w > width, !current.isEmpty {
                let cut = breakAt ?? current.count
                var kept = Array(current[..<cut])
                while kept.last == " " { kept.removeLast() }
                lines.append(String(kept))
                current = Array(current[cut...].drop { $0 == " " })
                currentWidth = current.reduce(0) { $0 + DisplayWidth.of($1) }
                (breakAt, earlierBreak) = (nil, nil)
            }
            if character == " ", current.isEmpty, !lines.isEmpty { continue }
            if w == 2, !current.isEmpty, !closing,
                !isOpening(current[current.count - 1])
            {
                allowBreak(at: current.count)
            }
            current.append(character)
            currentWidth += w
            if character == " " || (w == 2 && !isOpening(character)) {
                allowBreak(at: current.count)
            }
        }
        lines.append(String(current))
        return lines
    }

    /// Punctuation that must not start a line. Looked up by scalar: hashing a `Character`
    /// costs more than the rest of wrapping, and this runs for every character drawn.
    static func isClosing(_ character: Character) -> Bool {
        guard let value = character.unicodeScalars.first?.value else { return false }
        if value < 0x80 {
            return value == 0x2E || value == 0x2C || value == 0x21 || value == 0x3F
                || value == 0x3B || value == 0x3A || value == 0x29 || value == 0x5D
                || value == 0x7D || value == 0x25
        }
        return closingScalars.contains(value)
    }

    /// Punctuation that must not end a line.
    static func isOpening(_ character: Character) -> Bool {
        guard let value = character.unicodeScalars.first?.value else { return false }
        if value < 0x80 { return value == 0x28 || value == 0x5B || value == 0x7B }
        return openingScalars.contains(value)
    }

    /// 、。，．！？；：）」』】〉》”’…ー々
    static let closingScalars: Set<UInt32> = [
        0x3001, 0x3002, 0xFF0C, 0xFF0E, 0xFF01, 0xFF1F, 0xFF1B, 0xFF1A, 0xFF09, 0x300D, 0x300F,
        0x3011, 0x3009, 0x300B, 0x201D, 0x2019, 0x2026, 0x30FC, 0x3005,
    ]
    /// （「『【〈《“‘
    static let openingScalars: Set<UInt32> = [
        0xFF08, 0x300C, 0x300E, 0x3010, 0x3008, 0x300A, 0x201C, 0x2018,
    ]

    /// One line cut every `width` columns, spaces kept (for code, where words matter less
    /// than columns).
    public static func hardWrap(_ line: Substring, width: Int) -> [String] {
        let width = max(2, width)
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        for character in line {
            let w = DisplayWidth.of(character)
            if currentWidth + w > width {
                lines.append(current)
                current = ""
                currentWidth = 0
            }
            current.append(character)
            currentWidth += w
        }
        lines.append(current)
        return lines
    }

    /// The longest prefix of `text` that fits `width` columns, with "…" when cut.
    public static func truncate(_ text: some StringProtocol, width: Int) -> String {
        guard width > 0 else { return "" }
        if DisplayWidth.of(text) <= width { return String(text) }
        var out = ""
        var used = 0
        for character in text {
            let w = DisplayWidth.of(character)
            if used + w > width - 1 { break }
            out.append(character)
            used += w
        }
        return out + "…"
    }
}
