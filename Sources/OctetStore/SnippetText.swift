import Foundation

/// Snippets for search hits: one line of text and the character ranges of the matched words.
/// FTS5's `snippet()` marks matches with two private-use characters (U+E000, U+E001) that
/// `unmark` turns into ranges; the substring search builds its snippets with `around`.
enum SnippetText {
    static let openMarker: Character = "\u{E000}"
    static let closeMarker: Character = "\u{E001}"
    /// Characters of context kept before and after the first match.
    static let contextBefore = 30
    static let contextAfter = 50

    /// `marked` without its markers, newlines and tabs as spaces, and where the marked parts were.
    static func unmark(_ marked: String) -> (String, [Range<Int>]) {
        var text = ""
        var highlights: [Range<Int>] = []
        var count = 0
        var start: Int?
        for character in marked {
            switch character {
            case openMarker: start = count
            case closeMarker:
                if let from = start, from < count { highlights.append(from..<count) }
                start = nil
            default:
                text.append(oneLine(character))
                count += 1
            }
        }
        return (text, highlights)
    }

    /// `text` with each range of `highlights` between `open` and `close`.
    static func marked(
        _ text: String, highlights: [Range<Int>], open: String, close: String
    ) -> String {
        var result = ""
        for (offset, character) in text.enumerated() {
            if highlights.contains(where: { $0.lowerBound == offset }) { result += open }
            result.append(character)
            if highlights.contains(where: { $0.upperBound == offset + 1 }) { result += close }
        }
        return result
    }

    /// How many times `term` occurs in `text`, ignoring case, without overlaps.
    static func occurrences(of term: String, in text: String) -> Int {
        ranges(of: term, in: text).count
    }

    /// A window of `content` around the first match of any of `terms`, with every match in
    /// it highlighted; `…` where it was cut.
    static func around(_ terms: [String], in content: String) -> (String, [Range<Int>]) {
        let firstMatch = terms.compactMap { ranges(of: $0, in: content).first }.min {
            $0.lowerBound < $1.lowerBound
        }
        guard let first = firstMatch else { return (String(content.prefix(80)), []) }
        let lower = content.distance(from: content.startIndex, to: first.lowerBound)
        let start = content.index(
            content.startIndex, offsetBy: max(0, lower - contextBefore))
        let end = content.index(
            first.upperBound, offsetBy: contextAfter, limitedBy: content.endIndex)
            ?? content.endIndex
        let window = String(content[start..<end])
        let prefix = start > content.startIndex ? "…" : ""
        let suffix = end < content.endIndex ? "…" : ""
        var highlights: [Range<Int>] = []
        for term in terms {
            for range in ranges(of: term, in: window) {
                let from = window.distance(from: window.startIndex, to: range.lowerBound)
                let length = window.distance(from: range.lowerBound, to: range.upperBound)
                highlights.append((from + prefix.count)..<(from + prefix.count + length))
            }
        }
        let text = prefix + String(window.map(oneLine)) + suffix
        return (text, merge(highlights))
    }

    // MARK: - Helpers

    private static func ranges(of term: String, in text: String) -> [Range<String.Index>] {
        guard !term.isEmpty else { return [] }
        var found: [Range<String.Index>] = []
        var from = text.startIndex
        while let range = text.range(
            of: term, options: .caseInsensitive, range: from..<text.endIndex)
        {
            found.append(range)
            from = range.upperBound
        }
        return found
    }

    private static func oneLine(_ character: Character) -> Character {
        character.isNewline || character == "\t" ? " " : character
    }

    /// Sorted, overlapping ranges joined.
    private static func merge(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var merged: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }
}
