// MARK: - SentencePiece BPE

/// A SentencePiece BPE tokenizer (GGUF `tokenizer.ggml.model = "llama"`: Llama 1/2, TinyLlama,
/// Mistral 7B, Vicuna ...) built from the plain arrays a GGUF file holds
/// (`tokenizer.ggml.tokens`, `.scores`, `.token_type`). It follows llama.cpp's SPM tokenizer
/// (`src/llama-vocab.cpp`: `llama_vocab::impl::tokenize`, `llm_tokenizer_spm_session`,
/// `detokenize`), which is SentencePiece's `bpe_model.cc` encoding with `add_dummy_prefix`.
///
/// ```swift
/// let spm = try SentencePieceEncoder(tokens: tokens, scores: scores, tokenTypes: types)
/// spm.encode("Hello world")      // [▁Hello, ▁world]
/// spm.decode(spm.encode("Hi"))   // "Hi"
/// ```
///
/// Encoding: special tokens are cut out of the text first (control and unknown tokens with
/// `parseSpecial`, user-defined ones always: see `SpecialTokenMatcher.partition`); each text
/// fragment between them gets a space in front when `addSpacePrefix` is set (llama.cpp does
/// this to the first fragment and to every fragment after a special token), its spaces become
/// `▁`, and it goes through `SentencePieceSession`'s best-score-first merges; characters no
/// token spells become `<0xHH>` byte tokens (byte fallback).
///
/// Decoding, as llama.cpp's `detokenize(remove_special: false, unparse_special: true)`: `▁`
/// becomes a space, byte tokens their byte, control/unknown/user-defined tokens their text,
/// unused tokens nothing; with `addSpacePrefix`, one leading space of the first token is
/// dropped (the one encoding added). `tokenBytes` does no such dropping: streamed tokens keep
/// their spaces, as llama.cpp's `token_to_piece` does.
///
/// Known differences from llama.cpp: a byte without a `<0xHH>` token (or one-byte token)
/// becomes the unknown token where llama.cpp throws; the `lstrip`/`rstrip` attributes llama.cpp
/// gives special tokens of a few models by name (Phi-3) are not applied.
public final class SentencePieceEncoder: VocabularyBacked {
    let vocabulary: Vocabulary
    private let table: TokenTextTable
    private let scores: [Float]
    /// Whether each text fragment gets a space in front (`tokenizer.ggml.add_space_prefix`).
    public let addSpacePrefix: Bool
    /// The token that stands for a byte nothing else spells, if any.
    public let unknownToken: TokenID?
    private let specialTokens: SpecialTokenMatcher
    private let userDefinedTokens: SpecialTokenMatcher

    /// Builds a tokenizer from a vocabulary, one score per token (higher merges first) and one
    /// token type per token (GGUF numbering: 1 normal, 2 unknown, 3 control, 4 user-defined,
    /// 5 unused, 6 byte).
    /// - Parameters:
    ///   - addSpacePrefix: put a space in front of the text (SentencePiece's dummy prefix).
    ///   - unknownToken: the token for bytes without a byte token; nil picks the first token
    ///     of type unknown.
    /// - Throws: `TokenizerError.invalidVocabulary` (no tokens; scores or types of another
    ///   length; an unknown type; an unknown token outside the vocabulary).
    public init(tokens: [String], scores: [Float], tokenTypes: [Int], addSpacePrefix: Bool = true,
                unknownToken: TokenID? = nil) throws {
        let vocabulary = try Vocabulary(tokens: tokens, tokenTypes: tokenTypes, spelling: .sentencePiece)
        guard scores.count == tokens.count else {
            throw TokenizerError.invalidVocabulary("\(tokens.count) tokens but \(scores.count) scores")
        }
        if let unknown = unknownToken, !vocabulary.isValid(unknown) {
            throw TokenizerError.invalidVocabulary(
                "unknown token \(unknown) is not a token id (vocabulary of \(tokens.count))")
        }
        self.vocabulary = vocabulary
        table = TokenTextTable(tokens)
        // A NaN score would break the queue's ordering; it ranks below every real score.
        self.scores = scores.map { $0.isNaN ? -Float.infinity : $0 }
        self.addSpacePrefix = addSpacePrefix
        self.unknownToken = unknownToken ?? vocabulary.unknownID.map { TokenID($0) }
        specialTokens = SpecialTokenMatcher(vocabulary, types: [.control, .userDefined, .unknown])
        userDefinedTokens = SpecialTokenMatcher(vocabulary, types: [.userDefined])
    }

    // MARK: - Tokenizer

    public var vocabularySize: Int { vocabulary.count }

    public func encode(_ text: String, parseSpecial: Bool) -> [TokenID] {
        var text = text
        return text.withUTF8 { bytes in
            var session = SentencePieceSession(
                table: table, scores: scores, idForByte: vocabulary.idForByte,
                unknownID: unknownToken.map { Int32($0) })
            session.output.reserveCapacity(bytes.count / 3 + 1)
            let matcher = parseSpecial ? specialTokens : userDefinedTokens
            var position = 0
            // The first fragment and every one after a special token get the space prefix.
            for special in matcher.partition(bytes, from: 0, to: bytes.count) {
                if special.start > position {
                    session.encode(UnsafeBufferPointer(rebasing: bytes[position..<special.start]),
                                   spacePrefix: addSpacePrefix)
                }
                session.output.append(TokenID(special.id))
                position = special.end
            }
            if position < bytes.count {
                session.encode(UnsafeBufferPointer(rebasing: bytes[position...]),
                               spacePrefix: addSpacePrefix)
            }
            return session.output
        }
    }

    public func decode(_ ids: [TokenID]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for (k, id) in ids.enumerated() {
            let start = bytes.count
            vocabulary.appendBytes(of: id, to: &bytes)
            // llama.cpp strips the space of the first token only (`lstrip` of `detokenize`).
            if k == 0, addSpacePrefix, bytes.count > start, bytes[start] == 0x20 {
                bytes.remove(at: start)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The score of `id` (nil for an id outside the vocabulary).
    public func score(_ id: TokenID) -> Float? { vocabulary.isValid(id) ? scores[id] : nil }
}
