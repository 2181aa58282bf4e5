import Testing
import OctetTokenizer

/// `decode(encode(s)) == s`, byte for byte, for thousands of random strings with the golden
/// SentencePiece vocabulary: its 256 byte tokens spell anything. Special-token texts are left
/// out of the strings: llama.cpp gives the text after a special token a space prefix, which
/// decode cannot tell from a space of the text (the goldens cover that case).
@Suite struct SentencePieceRoundTripTests {
    typealias SplitMix64 = RoundTripPropertyTests.SplitMix64

    static func randomString(_ rng: inout SplitMix64) -> String {
        var s = ""
        for _ in 0..<rng.below(13) {
            if rng.below(10) == 0 {
                var value = UInt32(rng.below(0x11_0000))
                if (0xD800...0xDFFF).contains(value) { value = 0xFFFD }
                s.unicodeScalars.append(Unicode.Scalar(value)!)
            } else {
                let pool = RoundTripPropertyTests.pools[rng.below(6)]  // the pools without special tokens
                s += pool[rng.below(pool.count)]
            }
        }
        return s
    }

    @Test func decodeInvertsEncode() throws {
        let spm = try SentencePieceFixtures.tokenizer.get()
        var rng = SplitMix64(state: 0x5E17)
        for index in 0..<3_000 {
            let text = Self.randomString(&rng)
            let ids = spm.encode(text)
            #expect(Array(spm.decode(ids).utf8) == Array(text.utf8), "case \(index): \(text.debugDescription)")
            #expect(ids.allSatisfy { $0 >= 0 && $0 < spm.vocabularySize })
            #expect(!ids.contains { spm.tokenType($0) == .unknown })
        }
    }

    /// The same without the space prefix: nothing is added, so nothing needs dropping.
    @Test func decodeInvertsEncodeWithoutSpacePrefix() throws {
        let file = try SentencePieceFixtures.vocabularyFile.get()
        let spm = try SentencePieceEncoder(
            tokens: file.tokens, scores: file.scores, tokenTypes: file.token_types, addSpacePrefix: false)
        var rng = SplitMix64(state: 42)
        for _ in 0..<1_000 {
            let text = Self.randomString(&rng)
            #expect(Array(spm.decode(spm.encode(text)).utf8) == Array(text.utf8), "\(text.debugDescription)")
        }
    }

    /// Long inputs: one fragment of 200 KB merges in one go (O(n log n)), and round-trips.
    @Test func longTextRoundTrips() throws {
        let spm = try SentencePieceFixtures.tokenizer.get()
        var rng = SplitMix64(state: 1)
        var text = ""
        while text.utf8.count < 200_000 { text += Self.randomString(&rng) }
        let ids = spm.encode(text)
        #expect(Array(spm.decode(ids).utf8) == Array(text.utf8))
        #expect(ids.count < text.utf8.count)
    }

    /// A GGUF file may hold any arrays: empty token texts of every type, duplicates, bad byte
    /// token names, NaN and infinite scores, no unknown token. Encoding, decoding and streaming
    /// (ids out of range included) never trap, and every id is in the vocabulary.
    @Test func hostileVocabulariesNeverTrap() throws {
        let vocabularies: [[(String, Float, Int)]] = [
            [("", 0, 3)],
            [("", 0, 1), ("a", 0, 1)],
            [("", 0, 4), ("", 0, 3), ("", 0, 2), ("", 0, 6)],
            [("<0xZZ>", 0, 6), ("<0x41>", .nan, 6), ("▁", .infinity, 1), ("▁", -.infinity, 1)],
            [("a", 0, 2)],
            [("▁▁▁", 1, 1), ("▁▁", 2, 1), ("▁", 0, 1), ("é", 0, 5), ("<s>", 0, 3), ("<s>", 0, 4)],
            [("\u{0}", 0, 3), ("a\u{0}", 0, 4)],
        ]
        var rng = SplitMix64(state: 9)
        for vocabulary in vocabularies {
            for prefix in [true, false] {
                let spm = try SentencePieceEncoder(
                    tokens: vocabulary.map(\.0), scores: vocabulary.map(\.1),
                    tokenTypes: vocabulary.map(\.2), addSpacePrefix: prefix)
                for _ in 0..<200 {
                    let text = Self.randomString(&rng) + "<s>a\u{0}é  "
                    for special in [true, false] {
                        let ids = spm.encode(text, parseSpecial: special)
                        #expect(ids.allSatisfy { $0 >= 0 && $0 < vocabulary.count })
                        _ = spm.decode(ids + [-1, Int.max, Int.min])
                        var decoder = StreamingDecoder(tokenizer: spm, startsText: true)
                        for id in ids + [-5, Int.max] { _ = decoder.append(id) }
                        _ = decoder.finish()
                    }
                }
            }
        }
    }
}
