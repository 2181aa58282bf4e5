import Foundation
import GRDB
import OctetChat

/// One conversation found by `AppDatabase.search`: its best-matching message and a snippet.
public struct SearchHit: Sendable, Equatable {
    public var conversationID: Int64
    public var title: String
    public var updated: Date
    /// The best-matching message of the conversation.
    public var messageID: Int64
    public var role: Role
    /// A few words around the match, on one line, without markers.
    public var snippet: String
    /// Where the matched words are in `snippet`, in characters.
    public var highlights: [Range<Int>]
    /// Relevance, lower is better; comparable between hits of one search only.
    public var rank: Double

    public init(
        conversationID: Int64, title: String, updated: Date, messageID: Int64, role: Role,
        snippet: String, highlights: [Range<Int>], rank: Double
    ) {
        self.conversationID = conversationID
        self.title = title
        self.updated = updated
        self.messageID = messageID
        self.role = role
        self.snippet = snippet
        self.highlights = highlights
        self.rank = rank
    }

    /// The snippet with the matched words between `open` and `close` (`octet search`).
    public func markedSnippet(open: String = "[", close: String = "]") -> String {
        SnippetText.marked(snippet, highlights: highlights, open: open, close: close)
    }
}

/// Full-text search over the messages.
///
/// Two strategies, chosen by the query:
/// - words in scripts that separate words with spaces go through the FTS5 index (unicode61,
///   diacritics folded), ranked by bm25, each word matching as a prefix (search as you type);
/// - queries with Chinese, Japanese, Korean or Thai characters, or with no indexable word at
///   all (an emoji), use a substring (LIKE) scan: unicode61 keeps a whole run of CJK text as
///   one token, so 编程 inside 我喜欢编程 is not an FTS5 word, and the trigram tokenizer
///   would only match queries of three or more characters. Ranked by the number of occurrences.
///
/// Either way one hit per conversation (its best message), best first, and among equal ranks
/// the most recently active conversation first.
extension AppDatabase {
    /// Finds conversations whose messages match every word of `query`.
    /// - Parameter limit: at most this many conversations.
    /// - Returns: the hits, best first; none for an empty query.
    public func search(_ query: String, limit: Int = 50) throws -> [SearchHit] {
        let terms = query.split(whereSeparator: \.isWhitespace).map(String.init)
        guard !terms.isEmpty, limit > 0 else { return [] }
        let hits = try read { db -> [SearchHit] in
            if !Self.needsSubstringSearch(query), let pattern = Self.indexPattern(query) {
                return try Self.indexSearch(pattern, db)
            }
            return try Self.substringSearch(terms, db)
        }
        return Array(Self.bestPerConversation(hits).prefix(limit))
    }

    // MARK: - FTS5

    /// Every word of `query` as a quoted prefix (`"paris"* "fra"*`), its words split as the
    /// unicode61 tokenizer splits them (letters and digits; anything else separates, emoji
    /// included), so that no user text is read as FTS5 syntax. GRDB's `FTS5Pattern` splits
    /// with the ascii tokenizer instead, which keeps `rocket🚀launch` as one word. Nil when
    /// the query has no word at all.
    static func indexPattern(_ query: String) -> String? {
        let words = query.split { !($0.isLetter || $0.isNumber) }
        guard !words.isEmpty else { return nil }
        return words.map { "\"\($0)\"*" }.joined(separator: " ")
    }

    private static func indexSearch(_ pattern: String, _ db: Database) throws -> [SearchHit] {
        let sql = """
            SELECT m.id, m.conversationId, m.role, c.title, c.updated,
                   snippet(message_ft, 0, char(57344), char(57345), '…', 12) AS snippet,
                   bm25(message_ft) AS rank
            FROM message_ft
            JOIN message m ON m.id = message_ft.rowid
            JOIN conversation c ON c.id = m.conversationId
            WHERE message_ft MATCH ?
            """
        return try Row.fetchAll(db, sql: sql, arguments: [pattern]).map { row in
            let (text, highlights) = SnippetText.unmark(try row.decode(forColumn: "snippet"))
            let rank: Double = try row.decode(forColumn: "rank")
            return try hit(row, snippet: text, highlights: highlights, rank: rank)
        }
    }

    // MARK: - Substring

    private static func substringSearch(_ terms: [String], _ db: Database) throws -> [SearchHit] {
        let conditions = Array(repeating: "m.content LIKE ? ESCAPE '\\'", count: terms.count)
        let sql = """
            SELECT m.id, m.conversationId, m.role, m.content, c.title, c.updated
            FROM message m JOIN conversation c ON c.id = m.conversationId
            WHERE \(conditions.joined(separator: " AND "))
            """
        let arguments = StatementArguments(terms.map { "%" + escapeLike($0) + "%" })
        return try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap { row in
            let content: String = try row.decode(forColumn: "content")
            // LIKE and Swift may disagree on case folding outside ASCII: keep what both find.
            guard terms.allSatisfy({ content.range(of: $0, options: .caseInsensitive) != nil })
            else { return nil }
            let count = terms.reduce(0) { $0 + SnippetText.occurrences(of: $1, in: content) }
            let (text, highlights) = SnippetText.around(terms, in: content)
            return try hit(row, snippet: text, highlights: highlights, rank: -Double(count))
        }
    }

    private static func escapeLike(_ term: String) -> String {
        var escaped = ""
        for character in term {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    /// True for queries the FTS5 index cannot answer: any character of a script written
    /// without spaces between words.
    static func needsSubstringSearch(_ query: String) -> Bool {
        query.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x0E00...0x0EFF,  // Thai, Lao
                0x1100...0x11FF,  // Hangul Jamo
                0x2E80...0x2FDF,  // CJK radicals
                0x3040...0x30FF,  // Hiragana, Katakana
                0x3100...0x31FF,  // Bopomofo, Hangul compatibility Jamo, Katakana extensions
                0x3400...0x4DBF,  // CJK extension A
                0x4E00...0x9FFF,  // CJK unified ideographs
                0xAC00...0xD7AF,  // Hangul syllables
                0xF900...0xFAFF,  // CJK compatibility ideographs
                0xFF66...0xFF9F,  // half-width Katakana
                0x20000...0x3FFFF:  // CJK extensions B and later
                return true
            default:
                return false
            }
        }
    }

    // MARK: - Ranking

    private static func hit(
        _ row: Row, snippet: String, highlights: [Range<Int>], rank: Double
    ) throws -> SearchHit {
        let roleName: String = try row.decode(forColumn: "role")
        return SearchHit(
            conversationID: try row.decode(forColumn: "conversationId"),
            title: try row.decode(forColumn: "title"),
            updated: StoreTime.date(try row.decode(forColumn: "updated")),
            messageID: try row.decode(forColumn: "id"),
            role: Role(rawValue: roleName) ?? .user,
            snippet: snippet, highlights: highlights, rank: rank)
    }

    /// Best rank first; equal ranks: newest conversation, then newest message. Then the first
    /// (best) hit of each conversation.
    static func bestPerConversation(_ hits: [SearchHit]) -> [SearchHit] {
        let sorted = hits.sorted { a, b in
            if a.rank != b.rank { return a.rank < b.rank }
            if a.updated != b.updated { return a.updated > b.updated }
            return a.messageID > b.messageID
        }
        var seen = Set<Int64>()
        return sorted.filter { seen.insert($0.conversationID).inserted }
    }
}
