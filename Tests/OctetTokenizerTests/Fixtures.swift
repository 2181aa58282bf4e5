import Foundation
import OctetTokenizer

/// The checked-in reference data: the SmolLM2 vocabulary (extracted from the GGUF by
/// `scripts/extract-vocab.py`) and the golden cases of the Python reference tokenizer.
enum Fixtures {
    struct VocabularyFile: Decodable {
        let pre: String
        let tokens: [String]
        let merges: [String]
        let token_types: [Int]
    }

    struct CasesFile: Decodable {
        let cases: [GoldenCase]
    }

    /// One reference case: `ids` = encode(text), `tokens` their vocabulary strings.
    struct GoldenCase: Decodable, Sendable, CustomStringConvertible {
        let name: String
        let text: String
        let ids: [Int]
        let tokens: [String]
        let decoded: String
        var description: String { name }
    }

    static func resource(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: "Resources/\(name)", withExtension: nil)
        else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name]) }
        return try Data(contentsOf: url)
    }

    /// The SmolLM2 vocabulary arrays.
    static let smolLMVocabulary = Result {
        try JSONDecoder().decode(VocabularyFile.self, from: resource("smollm2-vocab.json"))
    }

    private static let smolLMTokenizers = Result { () throws -> [PreTokenizer: BytePairEncoder] in
        let file = try smolLMVocabulary.get()
        var tokenizers: [PreTokenizer: BytePairEncoder] = [:]
        for pre in PreTokenizer.allCases {
            tokenizers[pre] = try BytePairEncoder(
                tokens: file.tokens, merges: file.merges, tokenTypes: file.token_types,
                preTokenizer: pre)
        }
        return tokenizers
    }

    /// The SmolLM2 tokenizer (its own `smollm` pre-tokenizer unless another is asked for).
    static func smolLM(_ pre: PreTokenizer = .smollm) throws -> BytePairEncoder {
        try smolLMTokenizers.get()[pre]!
    }

    /// The 123 golden cases (empty if the file cannot be read; a test checks the count).
    static let goldenCases: [GoldenCase] =
        (try? JSONDecoder().decode(CasesFile.self, from: resource("tokenizer_cases.json")).cases) ?? []
}
