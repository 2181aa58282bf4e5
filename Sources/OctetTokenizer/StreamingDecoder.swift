// MARK: - Streaming decode

/// Turns generated tokens into text as they come, never emitting half a UTF-8 character:
/// byte-level tokens split CJK characters and emoji across tokens, so an incomplete
/// sequence at the end is held back until the tokens that complete it arrive.
/// Anchors: mlx-swift-examples `NaiveStreamingDetokenizer`, llama2.c `safe_printf`.
public struct StreamingDecoder: Sendable {
    private let tokenizer: any Tokenizer
    /// Bytes received but not yet emitted: at most an incomplete character's first bytes.
    private var pending: [UInt8] = []

    /// A decoder emitting the text of `tokenizer`'s tokens.
    public init(tokenizer: any Tokenizer) {
        self.tokenizer = tokenizer
    }

    /// Adds one token and returns the text that is now complete (possibly empty).
    public mutating func append(_ id: TokenID) -> String {
        pending.append(contentsOf: tokenizer.tokenBytes(id))
        let complete = Self.completePrefixLength(pending)
        guard complete > 0 else { return "" }
        let text = String(decoding: pending[..<complete], as: UTF8.self)
        pending.removeFirst(complete)
        return text
    }

    /// Returns what is held back (bytes that never became a character give U+FFFD) and
    /// starts afresh.
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// The length of `bytes` without a trailing incomplete UTF-8 sequence: a lead byte
    /// followed by fewer continuation bytes than it announces. Invalid bytes are not held
    /// (they become U+FFFD right away), only a prefix that may still become a character.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        let count = bytes.count
        var back = 1
        while back <= min(3, count) {
            let byte = bytes[count - back]
            if byte & 0xC0 != 0x80 {  // not a continuation byte: the last sequence starts here
                let needed = byte >= 0xF0 && byte <= 0xF4 ? 4
                    : byte >= 0xE0 && byte < 0xF0 ? 3
                    : byte >= 0xC2 && byte < 0xE0 ? 2 : 1
                return needed > back ? count - back : count
            }
            back += 1
        }
        return count
    }
}
