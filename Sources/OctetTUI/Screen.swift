/// One terminal cell: a grapheme cluster, the columns it takes, and its style.
///
/// A two-column character occupies its cell and the next, which holds a `continuation`
/// cell (width 0, no text) so that every row has exactly `columns` cells and a backend can
/// compare screens cell by cell (STYLE.md H10; SwiftTUI's `Cell` without the width bug).
public struct Cell: Equatable, Hashable, Sendable {
    /// The grapheme cluster shown; " " for blank, "" for the right half of a wide character.
    public var text: String
    /// 1, 2, or 0 for the right half of a wide character.
    public var width: Int
    public var style: CellStyle

    public init(text: String, width: Int, style: CellStyle) {
        self.text = text
        self.width = width
        self.style = style
    }

    /// A blank cell in `style`.
    public static func blank(_ style: CellStyle) -> Cell {
        Cell(text: " ", width: 1, style: style)
    }

    /// The right half of a wide character.
    public static func continuation(_ style: CellStyle) -> Cell {
        Cell(text: "", width: 0, style: style)
    }

    public var isContinuation: Bool { width == 0 }
}

/// A full frame: `size.rows` rows of `size.columns` cells, and where the cursor is (nil:
/// hidden). `render` builds it; the backend draws the cells that changed since the last one.
public struct Screen: Equatable, Sendable {
    public private(set) var size: Size
    /// Row-major cells, `rows * columns`.
    public private(set) var cells: [Cell]
    public var cursor: (row: Int, column: Int)? {
        get { cursorPosition.map { ($0.row, $0.column) } }
        set { cursorPosition = newValue.map { Position(row: $0.row, column: $0.column) } }
    }
    private var cursorPosition: Position?

    private struct Position: Equatable, Sendable {
        var row: Int
        var column: Int
    }

    public init(size: Size, style: CellStyle) {
        self.size = size
        cells = Array(repeating: .blank(style), count: max(0, size.rows * size.columns))
    }

    // MARK: - Reading

    public subscript(row: Int, column: Int) -> Cell {
        cells[row * size.columns + column]
    }

    /// One row as text: wide characters once, blanks as spaces, trailing spaces kept.
    public func line(_ row: Int) -> String {
        var text = ""
        for column in 0..<size.columns {
            text += self[row, column].text
        }
        return text
    }

    /// The whole frame as text, one line per row with trailing spaces removed: the form
    /// golden-screen tests compare.
    public var plainText: String {
        (0..<size.rows).map { row in
            var line = self.line(row)
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// The cells to write to turn `old` into this screen: (row, column) of each changed
    /// cell that starts a character, left to right. All of them when `old` is nil or of
    /// another size. A wide character is redrawn when either of its halves changed.
    public func changedCells(since old: Screen?) -> [(row: Int, column: Int)] {
        let previous = old?.size == size ? old : nil
        var changes: [(row: Int, column: Int)] = []
        for row in 0..<size.rows {
            var column = 0
            while column < size.columns {
                let cell = self[row, column]
                if cell.isContinuation {
                    column += 1
                    continue
                }
                let span = max(1, cell.width)
                let end = min(size.columns, column + span)
                if previous.map({ old in (column..<end).contains { old[row, $0] != self[row, $0] } }
                ) ?? true {
                    changes.append((row, column))
                }
                column += span
            }
        }
        return changes
    }

    // MARK: - Writing

    /// Fills `columns` cells of `row` from `column` with blanks in `style`.
    public mutating func fill(row: Int, from column: Int = 0, count: Int? = nil, style: CellStyle) {
        guard row >= 0, row < size.rows else { return }
        let start = max(0, column)
        let end = min(size.columns, count.map { column + $0 } ?? size.columns)
        guard start < end else { return }
        for c in start..<end { set(row, c, .blank(style)) }
    }

    /// Writes `text` at (`row`, `column`) in `style`, clipped at `limit` (default: the
    /// row's end). A wide character that would straddle the limit is replaced by a blank;
    /// a control character is written as its symbol (`TerminalText`).
    /// Returns the column after the last cell written.
    @discardableResult
    public mutating func put(
        _ text: some StringProtocol, row: Int, column: Int, style: CellStyle, limit: Int? = nil
    ) -> Int {
        guard row >= 0, row < size.rows else { return column }
        let end = min(limit ?? size.columns, size.columns)
        var c = column
        for original in text {
            // Never a control character in a cell: the terminal would obey it, not show it.
            let character = TerminalText.visible(original)
            let width = DisplayWidth.of(character)
            if width == 0 { continue }
            if c + width > end {
                if c < end { set(row, c, .blank(style)) }
                return end
            }
            if c >= 0 {
                set(row, c, Cell(text: String(character), width: width, style: style))
                if width == 2 { set(row, c + 1, .continuation(style)) }
            }
            c += width
        }
        return c
    }

    /// Changes the style of `count` cells of `row` from `column`, keeping their text.
    public mutating func restyle(row: Int, from column: Int, count: Int, style: CellStyle) {
        guard row >= 0, row < size.rows else { return }
        for c in max(0, column)..<min(size.columns, column + count) {
            var cell = self[row, c]
            cell.style = style
            cells[row * size.columns + c] = cell
        }
    }

    /// Stores one cell, first clearing any wide character it would cut in half.
    private mutating func set(_ row: Int, _ column: Int, _ cell: Cell) {
        guard column >= 0, column < size.columns else { return }
        let index = row * size.columns + column
        let old = cells[index]
        // Overwriting the right half of a wide character: its left half becomes a blank.
        if old.isContinuation, !cell.isContinuation, column > 0, cells[index - 1].width == 2 {
            cells[index - 1] = .blank(cells[index - 1].style)
        }
        // Overwriting the left half with something narrower: the right half becomes a blank.
        if old.width == 2, cell.width != 2, column + 1 < size.columns,
            cells[index + 1].isContinuation
        {
            cells[index + 1] = .blank(old.style)
        }
        cells[index] = cell
    }
}
