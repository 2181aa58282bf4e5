// MARK: - Streaming decode

/// Turns generated tokens into text as they come, never emitting half a UTF-8 character:
/// byte-level tokens split CJK characters and emoji across tokens, so an incomplete
/// sequence at the end is held back until the tokens that complete it arrive.
/// SentencePiece byte tokens (`<0xE2>` `<0x9D>` `<0xA4>`) are held back the same way.
///
/// A decoder that `startsText` decodes a text of its own (a chat reply) rather than the
/// continuation of one (`--raw` completion): with a SentencePiece vocabulary that writes a
/// space before each text, the first token's leading space is that prefix, not text, and is
/// dropped, as llama.cpp's `detokenize` drops it (`▁Hello` → "Hello"). Byte-level BPE text
/// is the same either way.
/// Anchors: mlx-swift-examples `NaiveStreamingDetokenizer`, llama2.c `safe_printf`.
public struct StreamingDecoder: Sendable {
    private let tokenizer: any Tokenizer
    /// Bytes received but not yet emitted: at most an incomplete character's first bytes.
    private var pending: [UInt8] = []
    /// Whether the next token is the text's first and its leading space is to be dropped.
    private var dropsLeadingSpace: Bool

    /// A decoder emitting the text of `tokenizer`'s tokens.
    /// - Parameter startsText: the tokens start a text (see above), so the space a
    ///   SentencePiece vocabulary puts before a text is dropped from the first token.
    public init(tokenizer: any Tokenizer, startsText: Bool = false) {
        self.tokenizer = tokenizer
        dropsLeadingSpace = startsText && tokenizer.addSpacePrefix
    }

    /// Adds one token and returns the text that is now complete (possibly empty).
    public mutating func append(_ id: TokenID) -> String {
        let bytes = tokenizer.tokenBytes(id)
        if dropsLeadingSpace {
            // Only the first token's space, as llama.cpp's `lstrip` in `detokenize`.
            dropsLeadingSpace = false
            pending.append(contentsOf: bytes.first == 0x20 ? bytes.dropFirst() : bytes[...])
        } else {
            pending.append(contentsOf: bytes)
        }
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
