import Foundation

// MARK: - Byte-level BPE

/// A byte-level BPE tokenizer (GPT-2 family: SmolLM, Llama 3, Qwen 2) built from the plain
/// arrays a GGUF file holds (`tokenizer.ggml.tokens`, `.merges`, `.token_type`).
///
/// Encoding: special tokens are cut out of the text first; the pre-tokenizer cuts each
/// stretch between them into pieces; every piece becomes byte-level symbols (one token per
/// byte), merged pairwise, the lowest-ranked merge first (leftmost among equals), until no
/// merge applies. Ports: openai/gpt-2 `encoder.py` `bpe`, llama.cpp `llama-vocab.cpp`
/// `llm_tokenizer_bpe_session`; behaviour matches Hugging Face `tokenizers`.
///
/// Control tokens (type 3) are matched in text only with `parseSpecial`; user-defined tokens
/// (type 4) always, as llama.cpp does. A byte the vocabulary cannot spell becomes the
/// unknown token if there is one, otherwise it is dropped.
public final class BytePairEncoder: VocabularyBacked {
    let vocabulary: Vocabulary
    let merges: MergeTable
    /// The split pattern this tokenizer uses.
    public let preTokenizer: PreTokenizer
    private let specialTokens: SpecialTokenMatcher
    private let userDefinedTokens: SpecialTokenMatcher

    /// Builds a tokenizer from a vocabulary, its merges (`"left right"`, lowest rank first)
    /// and one token type per token (GGUF numbering: 1 normal ... 6 byte).
    /// - Throws: `TokenizerError.invalidVocabulary` (no tokens, token types of another
    ///   length, an unknown type) or `.invalidMerge` (not two tokens joined by a space, or
    ///   their concatenation is not in the vocabulary).
    public init(tokens: [String], merges: [String], tokenTypes: [Int],
                preTokenizer: PreTokenizer) throws {
        let vocabulary = try Vocabulary(tokens: tokens, tokenTypes: tokenTypes)
        self.vocabulary = vocabulary
        self.merges = try Self.mergeTable(merges, vocabulary)
        self.preTokenizer = preTokenizer
        specialTokens = SpecialTokenMatcher(vocabulary, types: [.control, .userDefined])
        userDefinedTokens = SpecialTokenMatcher(vocabulary, types: [.userDefined])
    }

    private static func mergeTable(_ merges: [String], _ vocabulary: Vocabulary) throws
        -> MergeTable {
        var table = MergeTable(capacity: merges.count)
        for (rank, merge) in merges.enumerated() {
            // The separator is the first space after the first character (llama.cpp: a
            // merge's left part may itself be a space in non-byte-level vocabularies).
            let utf8 = merge.utf8
            guard let first = utf8.first, let space = utf8.dropFirst(first < 0x80 ? 1 : 0)
                .firstIndex(of: UInt8(ascii: " "))
            else { throw TokenizerError.invalidMerge(index: rank, merge: merge) }
            let left = merge[..<space]
            let right = merge[utf8.index(after: space)...]
            guard let leftID = vocabulary.idByToken[String(left)],
                  let rightID = vocabulary.idByToken[String(right)],
                  let mergedID = vocabulary.idByToken[String(left) + String(right)]
            else { throw TokenizerError.invalidMerge(index: rank, merge: merge) }
            table.insert(Int32(leftID), Int32(rightID),
                         MergeTable.Merge(rank: Int32(rank), merged: Int32(mergedID)))
        }
        return table
    }

    // MARK: - Tokenizer

    public var vocabularySize: Int { vocabulary.count }

    public func encode(_ text: String, parseSpecial: Bool) -> [TokenID] {
        var text = text
        return text.withUTF8 { bytes in
            var encoder = PieceEncoder(tokenizer: self, bytes: bytes)
            let matcher = parseSpecial ? specialTokens : userDefinedTokens
            var position = 0
            while position < bytes.count {
                guard let special = matcher.firstMatch(in: bytes, from: position, to: bytes.count)
                else {
                    encoder.encodeFragment(from: position, to: bytes.count)
                    break
                }
                encoder.encodeFragment(from: position, to: special.start)
                encoder.output.append(TokenID(special.id))
                position = special.end
            }
            return encoder.output
        }
    }

    public func decode(_ ids: [TokenID]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for id in ids { vocabulary.appendBytes(of: id, to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

}
