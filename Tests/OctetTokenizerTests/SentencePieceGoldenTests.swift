import Testing
import OctetTokenizer

/// llama.cpp's ids for the SentencePiece goldens (`spm_cases.json`, from sentencepiece itself,
/// cut at special tokens the way llama.cpp does): identical ids, and decode gives llama.cpp's
/// text back, which is the input wherever llama.cpp round-trips.
@Suite struct SentencePieceGoldenTests {
    @Test func allCasesAreThere() throws {
        #expect(SentencePieceFixtures.cases.count == 120)
        #expect(SentencePieceFixtures.randomCases.count == 400)
        let file = try SentencePieceFixtures.vocabularyFile.get()
        #expect(file.model == "llama" && file.tokens.count == 2004)
        // The converter's types: <unk> unknown, <s> </s> control, 256 byte tokens, the added
        // control and user-defined tokens, two [PADn] unused ones.
        let types = file.token_types
        #expect(Array(types[0..<3]) == [2, 3, 3] && types[3..<259].allSatisfy { $0 == 6 })
        #expect(Array(types[2000...]) == [3, 4, 5, 5])
        #expect(types[259..<2000].allSatisfy { $0 == 1 })
    }

    @Test(arguments: SentencePieceFixtures.cases)
    func encodesLikeLlamaCpp(_ golden: SentencePieceFixtures.GoldenCase) throws {
        let spm = try SentencePieceFixtures.tokenizer.get()
        let ids = spm.encode(golden.text, parseSpecial: golden.parse_special)
        #expect(ids == golden.ids, "\(golden.name): pieces \(ids.map { spm.token($0) ?? "?" })")
        #expect(golden.ids.map { spm.token($0) ?? "?" } == golden.pieces, "\(golden.name)")
        let decoded = spm.decode(golden.ids)
        #expect(Array(decoded.utf8) == Array(golden.decoded.utf8), "\(golden.name): \(decoded.debugDescription)")
        if golden.roundtrip {
            #expect(Array(decoded.utf8) == Array(golden.text.utf8), "\(golden.name)")
        }
    }

    @Test func randomStringsEncodeLikeLlamaCpp() throws {
        let spm = try SentencePieceFixtures.tokenizer.get()
        var roundtrips = 0
        for golden in SentencePieceFixtures.randomCases {
            let ids = spm.encode(golden.text, parseSpecial: golden.parse_special)
            #expect(ids == golden.ids, "\(golden.name): \(golden.text.debugDescription)")
            let decoded = spm.decode(golden.ids)
            #expect(decoded == golden.decoded, "\(golden.name)")
            if golden.roundtrip {
                roundtrips += 1
                #expect(Array(decoded.utf8) == Array(golden.text.utf8), "\(golden.name)")
            }
        }
        #expect(roundtrips > 200)
    }

    /// Streaming the golden ids through `tokenBytes` gives decode's text, with the one leading
    /// space decode drops, and never half a character.
    @Test func streamingDecodeMatchesDecode() throws {
        let spm = try SentencePieceFixtures.tokenizer.get()
        for golden in SentencePieceFixtures.cases + SentencePieceFixtures.randomCases {
            var decoder = StreamingDecoder(tokenizer: spm)
            var streamed: [UInt8] = []
            for id in golden.ids {
                let chunk = decoder.append(id)
                #expect(!chunk.unicodeScalars.contains("\u{FFFD}") || golden.text.contains("\u{FFFD}"),
                        "\(golden.name)")
                streamed += chunk.utf8
            }
            streamed += decoder.finish().utf8
            var expected = Array(golden.decoded.utf8)
            if let first = golden.ids.first, spm.tokenBytes(first).first == 0x20 {
                expected.insert(0x20, at: 0)
            }
            #expect(streamed == expected, "\(golden.name)")
        }
    }

    /// A decoder that starts a text (a chat reply) drops that space too: exactly decode's text.
    @Test func streamingATextMatchesDecodeExactly() throws {
        let spm = try SentencePieceFixtures.tokenizer.get()
        for golden in SentencePieceFixtures.cases + SentencePieceFixtures.randomCases {
            var decoder = StreamingDecoder(tokenizer: spm, startsText: true)
            let streamed = golden.ids.map { decoder.append($0) }.joined() + decoder.finish()
            #expect(Array(streamed.utf8) == Array(golden.decoded.utf8), "\(golden.name)")
        }
    }
}
