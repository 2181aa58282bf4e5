/// Why a tokenizer could not be built from the arrays it was given.
public enum TokenizerError: Error, CustomStringConvertible, Equatable {
    /// The vocabulary is empty, or the token types do not match it in length.
    case invalidVocabulary(String)
    /// A merge line is not two tokens of the vocabulary separated by one space.
    case invalidMerge(index: Int, merge: String)
    /// The pre-tokenizer name is not one this tokenizer knows.
    case unknownPreTokenizer(String)

    public var description: String {
        switch self {
        case .invalidVocabulary(let why): return "invalid vocabulary: \(why)"
        case .invalidMerge(let index, let merge): return "invalid merge #\(index): \"\(merge)\""
        case .unknownPreTokenizer(let name): return "unknown pre-tokenizer \"\(name)\""
        }
    }
}
