import Testing
import OctetTokenizer

/// The rules of llama.cpp's SPM tokenizer on tiny hand-made vocabularies, where each expected
/// answer can be worked out by hand.
@Suite struct SentencePieceBehaviourTests {
    /// A vocabulary: `<unk>` `<s>` `</s>` first (as SentencePiece numbers them), then `pieces`
    /// (text, score, type) from id 3 on.
    static func tokenizer(_ pieces: [(String, Float, TokenType)], addSpacePrefix: Bool = true,
                          byteTokens: Bool = false) throws -> SentencePieceEncoder {
        var all: [(String, Float, TokenType)] = [("<unk>", 0, .unknown), ("<s>", 0, .control), ("</s>", 0, .control)]
        if byteTokens {
            let hex = Array("0123456789ABCDEF")
            all += (0..<256).map { ("<0x\(hex[$0 >> 4])\(hex[$0 & 15])>", 0, .byte) }
        }
        all += pieces
        return try SentencePieceEncoder(
            tokens: all.map(\.0), scores: all.map(\.1), tokenTypes: all.map(\.2.rawValue),
            addSpacePrefix: addSpacePrefix)
    }

    func pieces(_ spm: SentencePieceEncoder, _ text: String, parseSpecial: Bool = true) -> [String] {
        spm.encode(text, parseSpecial: parseSpecial).map { spm.token($0) ?? "?" }
    }

    // MARK: - The merge order

    @Test func equalScoresMergeLeftmostFirst() throws {
        let spm = try Self.tokenizer([("a", -1, .normal), ("aa", -2, .normal)], addSpacePrefix: false)
        #expect(pieces(spm, "aaa") == ["aa", "a"])
        #expect(pieces(spm, "aaaaa") == ["aa", "aa", "a"])
    }

    @Test func higherScoreMergesFirstWherever() throws {
        let spm = try Self.tokenizer(
            [("a", -1, .normal), ("b", -1, .normal), ("c", -1, .normal), ("ab", -5, .normal), ("bc", -2, .normal)],
            addSpacePrefix: false)
        #expect(pieces(spm, "abc") == ["a", "bc"])
        #expect(pieces(spm, "abab") == ["ab", "ab"])
    }

    /// A token is reached only through tokens: `abc` alone cannot be formed from `a` `b` `c`.
    @Test func mergesNeedEveryStepToBeAToken() throws {
        let spm = try Self.tokenizer(
            [("a", -1, .normal), ("b", -1, .normal), ("c", -1, .normal), ("abc", 0, .normal)],
            addSpacePrefix: false)
        #expect(pieces(spm, "abc") == ["a", "b", "c"])
    }

    /// llama.cpp merges into any token, control ones included (SentencePiece would not).
    @Test func mergesMayFormAControlTokenFromPlainText() throws {
        let spm = try Self.tokenizer(
            [("<", -1, .normal), ("s", -1, .normal), (">", -1, .normal), ("<s", -3, .normal)],
            addSpacePrefix: false)
        #expect(pieces(spm, "<s>", parseSpecial: false) == ["<s>"])
        #expect(spm.encode("<s>", parseSpecial: false) == [1])
    }

    // MARK: - Spaces

    @Test func spacesBecomeTheMarkerAndThePrefixIsAdded() throws {
        let spm = try Self.tokenizer([("▁", -1, .normal), ("a", -1, .normal), ("▁a", -2, .normal),
                                      ("\t", -1, .normal)])
        #expect(pieces(spm, "a a") == ["▁a", "▁a"])
        #expect(pieces(spm, " a") == ["▁", "▁a"])
        #expect(pieces(spm, "a\ta") == ["▁a", "\t", "a"])
        #expect(pieces(spm, "") == [])
        #expect(spm.decode(spm.encode(" a")) == " a")
        let noPrefix = try Self.tokenizer([("▁", -1, .normal), ("a", -1, .normal), ("▁a", -2, .normal)],
                                          addSpacePrefix: false)
        #expect(pieces(noPrefix, "a a") == ["a", "▁a"])
        #expect(noPrefix.decode(noPrefix.encode(" a")) == " a")
    }

    /// Decode drops one space, of the first token only.
    @Test func decodeDropsOnlyTheFirstTokensSpace() throws {
        let spm = try Self.tokenizer([("▁▁", -1, .normal), ("▁a", -2, .normal)])
        let ids = [spm.id(of: "▁▁")!, spm.id(of: "▁a")!]
        #expect(spm.decode(ids) == "  a")
        #expect(spm.decode(Array(ids.reversed())) == "a  ")
        #expect(spm.decode([1] + ids) == "<s>   a")
        #expect(spm.tokenBytes(ids[1]) == Array(" a".utf8))
    }

    /// Streaming a text of its own drops the first token's space, as decode does; streaming a
    /// continuation keeps it; without a space prefix there is nothing to drop.
    @Test func streamingATextDropsTheFirstSpaceOnly() throws {
        let spm = try Self.tokenizer([("▁▁", -1, .normal), ("▁a", -2, .normal)])
        let ids = [spm.id(of: "▁▁")!, spm.id(of: "▁a")!]
        var text = StreamingDecoder(tokenizer: spm, startsText: true)
        #expect(ids.map { text.append($0) } == [" ", " a"])
        var continuation = StreamingDecoder(tokenizer: spm)
        #expect(ids.map { continuation.append($0) } == ["  ", " a"])
        let noPrefix = try Self.tokenizer([("▁a", -2, .normal)], addSpacePrefix: false)
        var plain = StreamingDecoder(tokenizer: noPrefix, startsText: true)
        #expect(plain.append(3) == " a" && !noPrefix.addSpacePrefix && spm.addSpacePrefix)
    }

    // MARK: - Special tokens

    @Test func aSpecialTokenRestartsTheSpacePrefix() throws {
        let spm = try Self.tokenizer([("▁", -1, .normal), ("a", -1, .normal), ("▁a", -2, .normal)])
        #expect(pieces(spm, "<s>a</s>a") == ["<s>", "▁a", "</s>", "▁a"])
        #expect(pieces(spm, "<unk>") == ["<unk>"])
        let bytes = try Self.tokenizer([("▁", -1, .normal)], byteTokens: true)
        #expect(pieces(bytes, "<unk>", parseSpecial: false)
                == ["▁", "<0x3C>", "<0x75>", "<0x6E>", "<0x6B>", "<0x3E>"])
    }

    /// llama.cpp cuts the longest special token out first, not the leftmost: in `abcd`, the
    /// user-defined `bcd` wins over `ab`; user-defined tokens match even without parseSpecial.
    @Test func longerSpecialTokensAreCutFirst() throws {
        let spm = try Self.tokenizer(
            [("▁", -1, .normal), ("a", -1, .normal), ("d", -1, .normal), ("▁a", -2, .normal),
             ("ab", 0, .userDefined), ("bcd", 0, .userDefined)])
        #expect(pieces(spm, "abcd", parseSpecial: false) == ["▁a", "bcd"])
        #expect(pieces(spm, "abab", parseSpecial: false) == ["ab", "ab"])
        #expect(pieces(spm, "abcdab") == ["▁a", "bcd", "ab"])
    }

    // MARK: - Bytes

    @Test func unknownCharactersFallBackToBytes() throws {
        let spm = try Self.tokenizer([("▁", -1, .normal)], byteTokens: true)
        #expect(pieces(spm, "é") == ["▁", "<0xC3>", "<0xA9>"])
        #expect(spm.decode(spm.encode("é😀")) == "é😀")
        var decoder = StreamingDecoder(tokenizer: spm)
        let chunks = spm.encode("😀").map { decoder.append($0) }
        #expect(chunks == [" ", "", "", "", "😀"])  // the four bytes held until complete
    }

    /// Without byte tokens: a one-byte token, else the unknown token (llama.cpp would throw).
    @Test func withoutByteTokensTheUnknownTokenStandsIn() throws {
        let spm = try Self.tokenizer([("▁", -1, .normal), ("x", -1, .normal)])
        #expect(pieces(spm, "xé") == ["▁", "x", "<unk>", "<unk>"])
    }

    // MARK: - Token types and errors

    @Test func unusedTokensDecodeToNothing() throws {
        let spm = try Self.tokenizer([("[PAD3]", -1000, .unused), ("a", -1, .normal)])
        #expect(spm.decode([3, 4]) == "a" && spm.tokenBytes(3).isEmpty)
        #expect(spm.isControl(1) && !spm.isControl(4) && spm.tokenType(0) == .unknown)
        #expect(spm.score(4) == -1 && spm.score(99) == nil && spm.token(99) == nil)
    }

    @Test func badArraysAreRefused() {
        #expect(throws: TokenizerError.invalidVocabulary("2 tokens but 1 scores")) {
            try SentencePieceEncoder(tokens: ["a", "b"], scores: [0], tokenTypes: [1, 1])
        }
        #expect(throws: TokenizerError.invalidVocabulary("token 1 has unknown type 9")) {
            try SentencePieceEncoder(tokens: ["a", "b"], scores: [0, 0], tokenTypes: [1, 9])
        }
        #expect(throws: TokenizerError.invalidVocabulary("unknown token 5 is not a token id (vocabulary of 2)")) {
            try SentencePieceEncoder(tokens: ["a", "b"], scores: [0, 0], tokenTypes: [1, 1], unknownToken: 5)
        }
        #expect(throws: TokenizerError.invalidVocabulary("no tokens")) {
            try SentencePieceEncoder(tokens: [], scores: [], tokenTypes: [])
        }
    }
}
