import Testing
import OctetTokenizer

/// `decode(encode(s)) == s`, byte for byte, for thousands of random strings mixing ASCII,
/// whitespace, digits, CJK, Hangul, emoji sequences, combining marks, arbitrary scalars and
/// control tokens (whole and broken) — for every pre-tokenizer.
@Suite struct RoundTripPropertyTests {
    /// A small explicit-state generator (splitmix64) so a failure reproduces from its seed.
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    /// Pieces random strings are made of, by kind.
    static let pools: [[String]] = [
        ["a", "Hello", " world", "it's", "I'll", "DON'T", " x", "_", "-", "::", "{}", "();"],
        [" ", "  ", "\t", "\n", "\r\n", "\n\n", " \n ", "\u{00A0}", "\u{3000}"],
        ["0", "7", "42", " 99", "3.14", "²", "½", "Ⅻ", "１２", "٣"],
        ["我", "喜欢", "编程", "日本語", "ひらがな", "カタカナ", "한국어", "漢字"],
        ["😀", "👍🏽", "👨‍👩‍👧‍👦", "🇫🇷", "❤️", "🤖", "🏳️‍🌈"],
        ["e\u{0301}", "a\u{0308}\u{0323}", "\u{0301}", "ñ", "Å", "ﬁ", "ǅ"],
        ["<|im_start|>", "<|im_end|>", "<|endoftext|>", "<|im_start", "<|IM_END|>", "|>", "<"],
    ]

    /// SmolLM2's byte-level alphabet lacks 21 of the 256 bytes (training never saw them):
    /// 0x04 0x06 0x13 0x14 0x16 0x1D, 0xC0 0xC1 and 0xF5-0xFF (never in UTF-8), and the lead
    /// bytes 0xF1 0xF2 of planes 4-11 (unassigned). Scalars needing them cannot round-trip.
    static func spellable(_ value: UInt32) -> Bool {
        ![0x04, 0x06, 0x13, 0x14, 0x16, 0x1D].contains(value) && !(0x4_0000..<0xC_0000).contains(value)
    }

    /// One random string of up to `maxPieces` pieces, with an arbitrary scalar now and then.
    static func randomString(_ rng: inout SplitMix64, maxPieces: Int = 12) -> String {
        var s = ""
        for _ in 0..<rng.below(maxPieces + 1) {
            if rng.below(10) == 0 {
                var value = UInt32(rng.below(0x11_0000))
                if (0xD800...0xDFFF).contains(value) || !spellable(value) { value = 0xFFFD }
                s.unicodeScalars.append(Unicode.Scalar(value)!)
            } else {
                let pool = pools[rng.below(pools.count)]
                s += pool[rng.below(pool.count)]
            }
        }
        return s
    }

    @Test(arguments: PreTokenizer.allCases)
    func decodeInvertsEncode(_ pre: PreTokenizer) throws {
        let tokenizer = try Fixtures.smolLM(pre)
        var rng = SplitMix64(state: 0x0C7E7)
        for index in 0..<3_000 {
            let text = Self.randomString(&rng)
            let ids = tokenizer.encode(text)
            let back = tokenizer.decode(ids)
            // Compare bytes: String's == would accept a canonically equivalent rewrite.
            #expect(Array(back.utf8) == Array(text.utf8), "case \(index): \(text.debugDescription)")
            #expect(ids.allSatisfy { $0 >= 0 && $0 < tokenizer.vocabularySize })
        }
    }

    /// What the vocabulary cannot spell is dropped, as Hugging Face `tokenizers` and llama.cpp
    /// (`llm_tokenizer_bpe_session`: unknown bytes are skipped) do; the rest survives.
    @Test func unspellableBytesAreDropped() throws {
        let tokenizer = try Fixtures.smolLM()
        #expect(tokenizer.decode(tokenizer.encode("a\u{04}b")) == "ab")
        let plane5 = String(Unicode.Scalar(0x5_0000)!)
        let back = tokenizer.decode(tokenizer.encode("x" + plane5 + "y"))
        #expect(back.hasPrefix("x") && back.hasSuffix("y") && !back.contains(plane5))
    }

    /// Control tokens are whole tokens when asked for, never when not.
    @Test func controlTokensInsideRandomText() throws {
        let tokenizer = try Fixtures.smolLM()
        var rng = SplitMix64(state: 99)
        for _ in 0..<500 {
            let left = Self.randomString(&rng, maxPieces: 4)
            let right = Self.randomString(&rng, maxPieces: 4)
            guard !left.contains("<|"), !right.contains("<|") else { continue }
            let ids = tokenizer.encode(left + "<|im_end|>" + right)
            #expect(ids.filter { $0 == 2 }.count == 1, "\((left, right))")
            #expect(!tokenizer.encode(left + "<|im_end|>" + right, parseSpecial: false).contains(2))
        }
    }

    /// Streaming decode of random strings emits the same bytes, never half a character.
    @Test func streamingDecodeMatchesDecode() throws {
        let tokenizer = try Fixtures.smolLM()
        var rng = SplitMix64(state: 7)
        for _ in 0..<1_000 {
            let text = Self.randomString(&rng)
            var decoder = StreamingDecoder(tokenizer: tokenizer)
            var streamed: [UInt8] = []
            for id in tokenizer.encode(text) {
                let chunk = decoder.append(id)
                #expect(!chunk.unicodeScalars.contains("\u{FFFD}") || text.contains("\u{FFFD}"))
                streamed += chunk.utf8
            }
            streamed += decoder.finish().utf8
            #expect(streamed == Array(text.utf8), "\(text.debugDescription)")
        }
    }
}
