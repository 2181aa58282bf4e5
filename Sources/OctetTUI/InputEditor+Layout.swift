/// How the input's text lies on screen at a given width: visual rows (wrapped at the
/// column limit and at new lines) and where the cursor is among them.
public struct InputLayout: Equatable, Sendable {
    public struct Row: Equatable, Sendable {
        /// Offset (in characters) of the row's first character in the text.
        public var start: Int
        public var text: [Character]
    }
    public var rows: [Row]
    public var cursorRow: Int
    public var cursorColumn: Int
}

extension InputEditor {
    /// The text laid out `width` columns wide (characters, not words, wrap: the cursor must
    /// map to one place, and a draft is read while it is written).
    public func layout(width: Int) -> InputLayout {
        let width = max(2, width)
        var rows: [InputLayout.Row] = [InputLayout.Row(start: 0, text: [])]
        var column = 0
        var cursorRow = 0
        var cursorColumn = 0
        var offset = 0
        for character in text {
            if offset == cursor { (cursorRow, cursorColumn) = (rows.count - 1, column) }
            offset += 1
            if character == "\n" {
                rows.append(InputLayout.Row(start: offset, text: []))
                column = 0
                continue
            }
            let w = max(1, DisplayWidth.of(character))
            if column + w > width {
                rows.append(InputLayout.Row(start: offset - 1, text: []))
                column = 0
                if offset - 1 == cursor { (cursorRow, cursorColumn) = (rows.count - 1, 0) }
            }
            rows[rows.count - 1].text.append(character)
            column += w
        }
        if cursor == text.count {
            if column >= width {
                rows.append(InputLayout.Row(start: offset, text: []))
                (cursorRow, cursorColumn) = (rows.count - 1, 0)
            } else {
                (cursorRow, cursorColumn) = (rows.count - 1, column)
            }
        }
        return InputLayout(rows: rows, cursorRow: cursorRow, cursorColumn: cursorColumn)
    }

    // MARK: - Keys

    /// Applies an editing key; false for keys the editor leaves to its parent (Enter, Tab,
    /// Up on the first line is history: handled here too).
    public mutating func handle(_ key: Key, width: Int) -> Bool {
        switch key {
        case .character(let character): insert(String(character))
        case .newline: insert("\n")
        case .backspace, .control("h"): backspace()
        case .delete, .control("d"): deleteForward()
        case .left, .control("b"): moveLeft()
        case .right, .control("f"): moveRight()
        case .wordLeft, .alt("b"): moveWordLeft()
        case .wordRight, .alt("f"): moveWordRight()
        case .home, .control("a"): moveToLineStart()
        case .end, .control("e"): moveToLineEnd()
        case .control("k"): killToLineEnd()
        case .control("u"): killToLineStart()
        case .control("w"), .alt("\u{7F}"): deleteWordBackward()
        case .up: if !moveUp(width: width) { historyBack() }
        case .down: if !moveDown(width: width) { historyForward() }
        default: return false
        }
        return true
    }
}
