// MARK: - Lookups every vocabulary-backed tokenizer shares

/// A tokenizer whose tokens live in a `Vocabulary` (byte-level BPE and SentencePiece alike):
/// the per-token lookups of `Tokenizer` come from it.
protocol VocabularyBacked: Tokenizer {
    var vocabulary: Vocabulary { get }
}

extension VocabularyBacked {
    public func tokenBytes(_ id: TokenID) -> [UInt8] {
        var bytes: [UInt8] = []
        vocabulary.appendBytes(of: id, to: &bytes)
        return bytes
    }

    public func token(_ id: TokenID) -> String? {
        vocabulary.isValid(id) ? vocabulary.tokens[id] : nil
    }

    public func id(of token: String) -> TokenID? { vocabulary.idByToken[token] }

    public func isControl(_ id: TokenID) -> Bool { vocabulary.type(id) == .control }

    /// The GGUF token type of `id` (nil for an id outside the vocabulary).
    public func tokenType(_ id: TokenID) -> TokenType? { vocabulary.type(id) }
}
