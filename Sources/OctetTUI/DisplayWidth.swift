/// How many terminal columns text takes: 0, 1 or 2 per character (grapheme cluster).
///
/// The rules are those of `wcwidth` as glibc and terminals apply them (Markus Kuhn's
/// wcwidth.c, updated to Unicode 15's East Asian Width and emoji data, as in TermKit's
/// `Core/WcWidth.swift`): combining and format marks take no column; East Asian Wide and
/// Fullwidth characters and emoji with emoji presentation take two; everything else one.
/// A grapheme cluster (Swift's `Character`) is the sum of its scalars, at most two.
/// A control character measures 1: the screen draws it as a visible symbol
/// (`TerminalText`), never as itself.
public enum DisplayWidth {
    // MARK: - Strings and characters

    /// The columns `text` takes on one line.
    public static func of(_ text: some StringProtocol) -> Int {
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    /// The columns one grapheme cluster takes: 1 or 2.
    ///
    /// The sum of its scalars' widths, at most 2: the model ncurses and glibc's `wcwidth`
    /// use (a base character and its zero-width marks share a cell), so that what we
    /// measure is where the terminal puts the cursor. A flag (two regional indicators) is
    /// 2; an emoji ZWJ sequence counts as its first emoji, which is what the backend draws.
    public static func of(_ character: Character) -> Int {
        // Most text is ASCII: one column (a control character is drawn as its symbol).
        if character.asciiValue != nil { return 1 }
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if TerminalText.needsSymbol(first) { return 1 }
        if scalars.count == 1 {
            let width = of(first)
            return width == 0 && isZeroWidth(first) ? 1 : width
        }
        var width = 0
        for scalar in scalars { width += of(scalar) }
        // A mark typed on its own still needs a column (it is drawn on a space).
        if width == 0 { return isZeroWidth(first) ? 1 : 0 }
        return min(2, width)
    }

    /// The columns one scalar takes when it stands alone.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (value >= 0x7F && value < 0xA0) { return 0 }
        if value < 0x300 { return 1 }
        if isZeroWidth(scalar) { return 0 }
        if isWide(value) { return 2 }
        return 1
    }

    // MARK: - Classes of scalars

    /// Combining marks, format characters (ZWJ, ZWNJ, direction marks) and Hangul medial
    /// vowels and final consonants, which join the syllable before them.
    static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value >= 0x1160 && value <= 0x11FF { return true }
        if value >= 0xD7B0 && value <= 0xD7FF { return true }  // Hangul Jamo Extended-B
        if value == 0x200B { return true }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark: return true
        case .format: return !prependedMarks.contains(value) && !(value >= 0x600 && value <= 0x605)
        default: return false
        }
    }

    /// Format characters that are drawn (soft hyphen; Arabic and Kaithi number signs that
    /// precede digits), as glibc draws them.
    static let prependedMarks: Set<UInt32> = [
        0xAD, 0x6DD, 0x70F, 0x890, 0x891, 0x8E2, 0x110BD, 0x110CD,
    ]

    /// East Asian Wide (W) and Fullwidth (F) ranges, and the emoji shown two columns wide.
    static func isWide(_ value: UInt32) -> Bool {
        if value < 0x1100 { return false }
        var low = 0
        var high = wideRanges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let range = wideRanges[mid]
            if value < range.lowerBound {
                high = mid - 1
            } else if value > range.upperBound {
                low = mid + 1
            } else {
                return true
            }
        }
        return false
    }

    // MARK: - The table

    /// Sorted, non-overlapping ranges of two-column scalars (Unicode 15 EastAsianWidth.txt
    /// W and F, which include the emoji with Emoji_Presentation=Yes).
    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0,
        0x23F3...0x23F3, 0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F,
        0x2693...0x2693, 0x26A1...0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5,
        0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA, 0x26F2...0x26F3, 0x26F5...0x26F5,
        0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728,
        0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x2E99, 0x2E9B...0x2EF3, 0x2F00...0x2FD5, 0x2FF0...0x2FFB, 0x3000...0x303E,
        0x3041...0x3096, 0x3099...0x30FF, 0x3105...0x312F, 0x3131...0x318E, 0x3190...0x31E3,
        0x31F0...0x321E, 0x3220...0xA48C, 0xA490...0xA4C6,
        0xA960...0xA97C, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE52,
        0xFE54...0xFE66, 0xFE68...0xFE6B, 0xFF01...0xFF60, 0xFFE0...0xFFE6,
        0x16FE0...0x16FE4, 0x16FF0...0x16FF1, 0x17000...0x187F7, 0x18800...0x18CD5,
        0x18D00...0x18D08, 0x1AFF0...0x1AFF3, 0x1AFF5...0x1AFFB, 0x1AFFD...0x1AFFE,
        0x1B000...0x1B122, 0x1B132...0x1B132, 0x1B150...0x1B152, 0x1B155...0x1B155,
        0x1B164...0x1B167, 0x1B170...0x1B2FB, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF,
        0x1F18E...0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F202, 0x1F210...0x1F23B,
        0x1F240...0x1F248, 0x1F250...0x1F251, 0x1F260...0x1F265, 0x1F300...0x1F320,
        0x1F32D...0x1F335, 0x1F337...0x1F37C, 0x1F37E...0x1F393, 0x1F3A0...0x1F3CA,
        0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4...0x1F3F4, 0x1F3F8...0x1F43E,
        0x1F440...0x1F440, 0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E,
        0x1F550...0x1F567, 0x1F57A...0x1F57A, 0x1F595...0x1F596, 0x1F5A4...0x1F5A4,
        0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC...0x1F6CC, 0x1F6D0...0x1F6D2,
        0x1F6D5...0x1F6D7, 0x1F6DC...0x1F6DF, 0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC,
        0x1F7E0...0x1F7EB, 0x1F7F0...0x1F7F0, 0x1F90C...0x1F93A, 0x1F93C...0x1F945,
        0x1F947...0x1F9FF, 0x1FA70...0x1FA7C, 0x1FA80...0x1FA88, 0x1FA90...0x1FABD,
        0x1FABF...0x1FAC5, 0x1FACE...0x1FADB, 0x1FAE0...0x1FAE8, 0x1FAF0...0x1FAF8,
        0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
