/// Breaks text into lines that fit a width in terminal columns.
///
/// Lines break at spaces when they can, and between two wide (CJK) characters, which need
/// no space; a word longer than the width is cut. Measured with `DisplayWidth`, one
/// grapheme cluster at a time, so a combining mark never leaves its letter and a wide
/// character is never split.
public enum TextWrap {
    // MARK: - Cleaning

    /// `text` made safe to draw: tabs become spaces, other control characters (escape
    /// sequences from a model, carriage returns) are dropped; new lines are kept.
    public static func displayable(_ text: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            if character == "\n" {
                out.append("\n")
            } else if character == "\t" {
                out += "    "
            } else if let first = character.unicodeScalars.first,
                first.value < 0x20 || (first.value >= 0x7F && first.value < 0xA0)
            {
                continue
            } else {
                out.append(character)
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
    public static func wrapLine(_ line: Substring, width: Int) -> [String] {
        let width = max(1, width)
        var lines: [String] = []
        var current: [Character] = []
        var currentWidth = 0
        // Index in `current` where a break may go (the line keeps current[..<breakAt]).
        var breakAt: Int?
        for character in line {
            let w = DisplayWidth.of(character)
            while currentWidth + w > width, !current.isEmpty {
                let cut = breakAt ?? current.count
                var kept = Array(current[..<cut])
                while kept.last == " " { kept.removeLast() }
                lines.append(String(kept))
                current = Array(current[cut...].drop { $0 == " " })
                currentWidth = current.reduce(0) { $0 + DisplayWidth.of($1) }
                breakAt = nil
            }
            if character == " ", current.isEmpty, !lines.isEmpty { continue }
            // A break may go before a wide character, or after a space or a wide character.
            if w == 2, !current.isEmpty { breakAt = current.count }
            current.append(character)
            currentWidth += w
            if character == " " || w == 2 { breakAt = current.count }
        }
        lines.append(String(current))
        return lines
    }

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
