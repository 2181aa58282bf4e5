/// Where a scrolled transcript starts, counted from an item (a message or a note) rather than
/// from the first line of the whole conversation: drawing a screenful or moving a page then
/// wraps only the items on the way, not every message above them, so a conversation of
/// 10,000 messages scrolls as fast as a short one (issue 8). New output at the end does not
/// move the view, because the items above it do not change.
public struct TranscriptPosition: Equatable, Sendable {
    /// The item's index in the layout's display order.
    public var item: Int
    /// Lines of that item above the view.
    public var line: Int

    public init(item: Int = 0, line: Int = 0) {
        self.item = item
        self.line = line
    }
}

extension TranscriptLayout {
    // MARK: - Drawing from a position

    /// `count` lines from `position` on (clamped to the transcript).
    func lines(from position: TranscriptPosition, count: Int) -> [Line] {
        let start = normalized(position)
        var out: [Line] = []
        var index = start.item
        var skip = start.line
        while index < items.count, out.count < count {
            let itemLines = lines(of: items[index])
            out.append(contentsOf: itemLines.dropFirst(skip).prefix(count - out.count))
            skip = 0
            index += 1
        }
        return out
    }

    /// The position of the first of the last `rows` lines: the top of a view that follows
    /// the end. (0, 0) when the whole transcript is shorter.
    func tailTop(_ rows: Int) -> TranscriptPosition {
        var remaining = rows
        for index in items.indices.reversed() {
            let count = lines(of: items[index]).count
            if count >= remaining { return TranscriptPosition(item: index, line: count - remaining) }
            remaining -= count
        }
        return TranscriptPosition()
    }

    /// Whether a view of `rows` lines from `position` shows the transcript's last line.
    func reachesEnd(from position: TranscriptPosition, rows: Int) -> Bool {
        let start = normalized(position)
        var seen = -start.line
        for index in start.item..<items.count {
            seen += lines(of: items[index]).count
            if seen > rows { return false }
        }
        return true
    }

    // MARK: - Moving

    /// `position` moved `delta` lines down (negative: up), stopping at the first line and at
    /// the last one.
    func move(_ position: TranscriptPosition, by delta: Int) -> TranscriptPosition {
        guard !items.isEmpty else { return TranscriptPosition() }
        var current = normalized(position)
        var line = current.line + delta
        while line < 0 {
            guard current.item > 0 else { return TranscriptPosition() }
            current.item -= 1
            line += lines(of: items[current.item]).count
        }
        while true {
            let count = lines(of: items[current.item]).count
            if line < count { break }
            guard current.item + 1 < items.count else {
                line = max(0, count - 1)
                break
            }
            line -= count
            current.item += 1
        }
        current.line = line
        return current
    }

    /// `position` inside the transcript: an item that is no longer there (messages removed)
    /// becomes the last one, a line past its item's end that item's last line.
    func normalized(_ position: TranscriptPosition) -> TranscriptPosition {
        guard !items.isEmpty else { return TranscriptPosition() }
        let item = min(max(0, position.item), items.count - 1)
        let count = lines(of: items[item]).count
        return TranscriptPosition(item: item, line: min(max(0, position.line), max(0, count - 1)))
    }
}
