import Foundation
import OctetTokenizer

/// The SentencePiece golden data made by `scripts/make-spm-goldens.py`: a 2,004-token
/// SentencePiece BPE vocabulary trained for the tests (as the GGUF arrays llama.cpp's converter
/// writes) and the ids llama.cpp gives 120 chosen and 400 random strings with it.
enum SentencePieceFixtures {
    struct VocabularyFile: Decodable {
        let model: String
        let tokens: [String]
        let scores: [Float]
        let token_types: [Int]
        let bos_token_id: Int
        let eos_token_id: Int
        let unknown_token_id: Int
        let add_bos_token: Bool
    }

    struct CasesFile: Decodable {
        let cases: [GoldenCase]
        let random_cases: [GoldenCase]
    }

    /// One case: `ids` = llama.cpp's encode(text, parse_special), `decoded` = its decode(ids),
    /// `roundtrip` = whether that gives the text back.
    struct GoldenCase: Decodable, Sendable, CustomStringConvertible {
        let name: String
        let text: String
        let parse_special: Bool
        let ids: [Int]
        let pieces: [String]?
        let decoded: String
        let roundtrip: Bool
        var description: String { name }
    }

    static let vocabularyFile = Result {
        try JSONDecoder().decode(VocabularyFile.self, from: Fixtures.resource("spm-vocab.json"))
    }

    static let tokenizer = Result { () throws -> SentencePieceEncoder in
        let file = try vocabularyFile.get()
        return try SentencePieceEncoder(
            tokens: file.tokens, scores: file.scores, tokenTypes: file.token_types)
    }

    private static let casesFile = Result {
        try JSONDecoder().decode(CasesFile.self, from: Fixtures.resource("spm_cases.json"))
    }

    /// The chosen cases (empty if the file cannot be read; a test checks the count).
    static let cases: [GoldenCase] = (try? casesFile.get().cases) ?? []
    /// The random strings' cases.
    static let randomCases: [GoldenCase] = (try? casesFile.get().random_cases) ?? []
}
