import OctetGGUF
import OctetTokenizer

// MARK: - Tokenizer from a GGUF file

/// A model's tokenizer with the special tokens its GGUF file names, and its chat template.
/// Built without touching the weights, so `octet tokenize` and `octet prompt` start fast.
public struct ModelTokenizer: Sendable {
    /// The kinds of vocabulary a GGUF file may have (`tokenizer.ggml.model`) that Octet reads.
    public enum Kind: String, Sendable, CustomStringConvertible {
        /// `gpt2`: byte-level BPE with merges (SmolLM, Llama 3, Qwen 2 ...).
        case byteLevelBPE = "gpt2"
        /// `llama`: SentencePiece BPE with scores (Llama 1/2, TinyLlama, Mistral 7B ...).
        case sentencePiece = "llama"

        public var description: String {
            switch self {
            case .byteLevelBPE: return "byte-level BPE"
            case .sentencePiece: return "SentencePiece"
            }
        }
    }

    /// Which kind of vocabulary the file has.
    public let kind: Kind
    /// The tokenizer: a `BytePairEncoder` or a `SentencePieceEncoder`.
    public let tokenizer: any Tokenizer
    /// `tokenizer.ggml.bos_token_id`, if the file names one.
    public let tokenBOS: TokenID?
    /// `tokenizer.ggml.eos_token_id`, if the file names one.
    public let tokenEOS: TokenID?
    /// Whether prompts should start with BOS (`tokenizer.ggml.add_bos_token`; when absent,
    /// true for SentencePiece and false for BPE vocabularies, as llama.cpp does).
    public let addBOS: Bool
    /// The tokens that end a reply: EOS, EOT and the control tokens llama.cpp treats as
    /// end-of-generation (`<|im_end|>`, `<|endoftext|>`, `<|eot_id|>`, `<end_of_turn>`, ...).
    public let endOfGeneration: Set<TokenID>
    /// `tokenizer.chat_template`, the model's Jinja chat template, if present.
    public let chatTemplate: String?

    /// The text of BOS ("" when there is none), for chat formats that write it.
    public var textBOS: String { tokenBOS.flatMap(tokenizer.token) ?? "" }
    /// The text of EOS ("" when there is none).
    public var textEOS: String { tokenEOS.flatMap(tokenizer.token) ?? "" }

    /// Whether `id` ends a reply.
    public func isEndOfGeneration(_ id: TokenID) -> Bool { endOfGeneration.contains(id) }
}

/// GGUF metadata keys of the tokenizer (llama.cpp `src/llama-arch.cpp` `LLM_KV_TOKENIZER_*`).
enum TokenizerKey {
    static let model = "tokenizer.ggml.model"
    static let pre = "tokenizer.ggml.pre"
    static let tokens = "tokenizer.ggml.tokens"
    static let tokenType = "tokenizer.ggml.token_type"
    static let merges = "tokenizer.ggml.merges"
    static let scores = "tokenizer.ggml.scores"
    static let addSpacePrefix = "tokenizer.ggml.add_space_prefix"
    static let bos = "tokenizer.ggml.bos_token_id"
    static let eos = "tokenizer.ggml.eos_token_id"
    static let unknown = "tokenizer.ggml.unknown_token_id"
    static let eot = "tokenizer.ggml.eot_token_id"
    static let eom = "tokenizer.ggml.eom_token_id"
    static let addBOS = "tokenizer.ggml.add_bos_token"
    static let chatTemplate = "tokenizer.chat_template"
}

extension ModelTokenizer {
    /// Control-token texts llama.cpp counts as end-of-generation whatever their id
    /// (`llama-vocab.cpp`, the `special_eog_ids` scan).
    static let endOfGenerationTexts: Set<String> = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<EOT>",
        "_<EOT>", "<｜end▁of▁sentence｜>", "<|eom_id|>", "</s>",
    ]

    /// Reads the tokenizer of `file`.
    /// - Throws: `InferenceError.unsupportedTokenizer` for a tokenizer model other than
    ///   byte-level BPE (`gpt2`) and SentencePiece (`llama`), `GGUFError` for missing or
    ///   mistyped keys, and the tokenizer's own errors wrapped with the file name.
    public init(file: GGUFFile) throws {
        let meta = file.metadata
        let model = try meta.optionalString(TokenizerKey.model) ?? "gpt2"
        guard let kind = Kind(rawValue: model) else {
            throw InferenceError.unsupportedTokenizer(file: file.name, model: model)
        }
        let tokens = try meta.strings(TokenizerKey.tokens)
        let types = try meta.optionalInts(TokenizerKey.tokenType)
            ?? Array(repeating: TokenType.normal.rawValue, count: tokens.count)
        func tokenID(_ key: String, default fallback: TokenID? = nil) throws -> TokenID? {
            guard let id = try meta.optionalInt(key) else {
                return fallback.flatMap { $0 < tokens.count ? $0 : nil }
            }
            guard id >= 0, id < tokens.count else {
                throw InferenceError.badTokenizer(
                    file: file.name, problem: "\(key) \(id) is not a token id (vocabulary of \(tokens.count))")
            }
            return id
        }
        // llama.cpp's defaults for SentencePiece files that name no special tokens.
        let spm = kind == .sentencePiece
        let unknown = try tokenID(TokenizerKey.unknown)
        do {
            tokenizer = spm
                ? try Self.sentencePiece(meta, tokens: tokens, types: types, unknown: unknown)
                : try Self.bytePairs(meta, tokens: tokens, types: types)
        } catch let error as TokenizerError {
            throw InferenceError.badTokenizer(file: file.name, problem: error.description)
        }
        self.kind = kind
        tokenBOS = try tokenID(TokenizerKey.bos, default: spm ? 1 : nil)
        tokenEOS = try tokenID(TokenizerKey.eos, default: spm ? 2 : nil)
        addBOS = try meta.optionalBool(TokenizerKey.addBOS) ?? spm
        chatTemplate = try meta.optionalString(TokenizerKey.chatTemplate)
        endOfGeneration = Self.endOfGeneration(
            tokens, types, named: [tokenEOS, try tokenID(TokenizerKey.eot), try tokenID(TokenizerKey.eom)])
    }

    /// The named ids (EOS, EOT, EOM) and the control tokens llama.cpp recognises by text.
    private static func endOfGeneration(_ tokens: [String], _ types: [Int], named: [TokenID?])
        -> Set<TokenID> {
        var eog = Set(named.compactMap { $0 })
        for (id, text) in tokens.enumerated()
        where endOfGenerationTexts.contains(text) && types[id] == TokenType.control.rawValue {
            eog.insert(id)
        }
        return eog
    }

    private static func bytePairs(_ meta: GGUFMetadata, tokens: [String], types: [Int]) throws
        -> BytePairEncoder {
        let merges = try meta.optionalStrings(TokenizerKey.merges) ?? []
        let pre = try PreTokenizer(ggufName: try meta.optionalString(TokenizerKey.pre) ?? "default")
        return try BytePairEncoder(tokens: tokens, merges: merges, tokenTypes: types, preTokenizer: pre)
    }

    /// Scores default to 0 when absent, and longer score or type arrays are cut to the
    /// vocabulary, as llama.cpp allows.
    private static func sentencePiece(_ meta: GGUFMetadata, tokens: [String], types: [Int],
                                      unknown: TokenID?) throws -> SentencePieceEncoder {
        let scores = try meta.optionalFloats(TokenizerKey.scores)
            ?? Array(repeating: 0, count: tokens.count)
        return try SentencePieceEncoder(
            tokens: tokens, scores: Array(scores.prefix(tokens.count)),
            tokenTypes: Array(types.prefix(tokens.count)),
            addSpacePrefix: try meta.optionalBool(TokenizerKey.addSpacePrefix) ?? true,
            unknownToken: unknown)
    }

    /// The prompt's token ids: BOS first when the model wants it, control tokens matched.
    public func encodePrompt(_ text: String) -> [TokenID] {
        let ids = tokenizer.encode(text, parseSpecial: true)
        guard addBOS, let bos = tokenBOS, ids.first != bos else { return ids }
        return [bos] + ids
    }
}
