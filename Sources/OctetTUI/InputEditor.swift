/// The multi-line input at the bottom of the screen: text, a cursor between grapheme
/// clusters, and the history of sent messages. A child state with its own update
/// (`handle(_:width:)`), delegated to by `AppState` (STYLE.md H9).
///
/// The text is kept as a `String` and the cursor as a count of `Character`s before it;
/// every edit rebuilds the string, so a combining mark typed after a letter joins it (the
/// cursor stays after the pair) and Backspace removes a whole cluster.
public struct InputEditor: Equatable, Sendable {
    public private(set) var text: String = ""
    /// Characters before the cursor, 0...text.count.
    public private(set) var cursor: Int = 0
    /// Messages sent earlier, oldest first (Up walks back through them).
    public var history: [String] = []
    /// Where Up/Down is in `history`; nil while editing a fresh draft.
    private var historyIndex: Int?
    /// The draft put aside while walking the history.
    private var stash: String = ""

    public init(text: String = "") {
        self.text = text
        cursor = text.count
    }

    // MARK: - Editing

    /// Replaces the whole text and puts the cursor at its end.
    public mutating func setText(_ newText: String) {
        text = newText
        cursor = newText.count
        historyIndex = nil
    }

    /// Inserts `inserted` at the cursor (typing, or a paste with its new lines).
    public mutating func insert(_ inserted: String) {
        let before = String(text.prefix(cursor)) + inserted
        let after = String(text.dropFirst(cursor))
        text = before + after
        // Measured on the joined text, so a mark that fused with the character before it
        // does not count twice.
        cursor = max(0, text.count - after.count)
    }

    public mutating func backspace() {
        guard cursor > 0 else { return }
        remove(from: cursor - 1, to: cursor)
    }

    public mutating func deleteForward() {
        guard cursor < text.count else { return }
        remove(from: cursor, to: cursor + 1)
    }

    /// Ctrl-W: the word before the cursor and the spaces after it.
    public mutating func deleteWordBackward() {
        let start = wordStart(before: cursor)
        remove(from: start, to: cursor)
    }

    /// Ctrl-K: from the cursor to the end of its line (or the line break, when at the end).
    public mutating func killToLineEnd() {
        let end = lineEnd(from: cursor)
        remove(from: cursor, to: end == cursor && end < text.count ? end + 1 : end)
    }

    /// Ctrl-U: from the start of the line to the cursor (or the line break before it, when
    /// already at the start, so that repeated presses clear a multi-line draft).
    public mutating func killToLineStart() {
        let start = lineStart(from: cursor)
        remove(from: start == cursor && start > 0 ? start - 1 : start, to: cursor)
    }

    private mutating func remove(from start: Int, to end: Int) {
        guard start < end else { return }
        let chars = Array(text)
        text = String(chars[..<start]) + String(chars[end...])
        cursor = start
    }

    // MARK: - Moving

    public mutating func moveLeft() { cursor = max(0, cursor - 1) }
    public mutating func moveRight() { cursor = min(text.count, cursor + 1) }
    public mutating func moveToLineStart() { cursor = lineStart(from: cursor) }
    public mutating func moveToLineEnd() { cursor = lineEnd(from: cursor) }
    public mutating func moveWordLeft() { cursor = wordStart(before: cursor) }

    public mutating func moveWordRight() {
        let chars = Array(text)
        var i = cursor
        while i < chars.count, chars[i].isWhitespace { i += 1 }
        while i < chars.count, !chars[i].isWhitespace { i += 1 }
        cursor = i
    }

    /// Up one visual line at `width` columns; false when already on the first one.
    public mutating func moveUp(width: Int) -> Bool {
        moveVertically(by: -1, width: width)
    }

    /// Down one visual line; false when already on the last one.
    public mutating func moveDown(width: Int) -> Bool {
        moveVertically(by: 1, width: width)
    }

    private mutating func moveVertically(by delta: Int, width: Int) -> Bool {
        let layout = self.layout(width: width)
        let target = layout.cursorRow + delta
        guard target >= 0, target < layout.rows.count else { return false }
        let row = layout.rows[target]
        var column = 0
        var offset = row.start
        for character in row.text {
            let w = DisplayWidth.of(character)
            if column + w > layout.cursorColumn { break }
            column += w
            offset += 1
        }
        cursor = offset
        return true
    }

    private func lineStart(from index: Int) -> Int {
        let chars = Array(text)
        var i = index
        while i > 0, chars[i - 1] != "\n" { i -= 1 }
        return i
    }

    private func lineEnd(from index: Int) -> Int {
        let chars = Array(text)
        var i = index
        while i < chars.count, chars[i] != "\n" { i += 1 }
        return i
    }

    private func wordStart(before index: Int) -> Int {
        let chars = Array(text)
        var i = index
        while i > 0, chars[i - 1].isWhitespace { i -= 1 }
        while i > 0, !chars[i - 1].isWhitespace { i -= 1 }
        return i
    }

    // MARK: - History

    /// Up on the first line: the previous sent message (the draft is kept aside).
    public mutating func historyBack() {
        guard !history.isEmpty else { return }
        let index = (historyIndex ?? history.count) - 1
        guard index >= 0 else { return }
        if historyIndex == nil { stash = text }
        historyIndex = index
        text = history[index]
        cursor = text.count
    }

    /// Down on the last line: the next message, and after the newest the draft again.
    public mutating func historyForward() {
        guard let index = historyIndex else { return }
        if index + 1 < history.count {
            historyIndex = index + 1
            text = history[index + 1]
        } else {
            historyIndex = nil
            text = stash
        }
        cursor = text.count
    }

    /// Records a sent message and clears the input.
    public mutating func commit() -> String {
        let sent = text
        if !sent.isEmpty, history.last != sent { history.append(sent) }
        historyIndex = nil
        stash = ""
        text = ""
        cursor = 0
        return sent
    }
}
