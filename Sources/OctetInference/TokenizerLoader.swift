import OctetGGUF
import OctetTokenizer

// MARK: - Tokenizer from a GGUF file

/// A model's tokenizer with the special tokens its GGUF file names, and its chat template.
/// Built without touching the weights, so `octet tokenize` and `octet prompt` start fast.
public struct ModelTokenizer: Sendable {
    public let tokenizer: BytePairEncoder
    /// `tokenizer.ggml.bos_token_id`, if the file names one.
    public let tokenBOS: TokenID?
    /// `tokenizer.ggml.eos_token_id`, if the file names one.
    public let tokenEOS: TokenID?
    /// Whether prompts should start with BOS (`tokenizer.ggml.add_bos_token`; false when absent
    /// for BPE vocabularies, as llama.cpp does).
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
    static let bos = "tokenizer.ggml.bos_token_id"
    static let eos = "tokenizer.ggml.eos_token_id"
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
        "_<EOT>", "<｜end▁of▁sentence｜>", "<|eom_id|>",
    ]

    /// Reads the tokenizer of `file`.
    /// - Throws: `InferenceError.unsupportedTokenizer` for a tokenizer model other than
    ///   byte-level BPE (`gpt2`), `GGUFError` for missing or mistyped keys, and the
    ///   tokenizer's own errors wrapped with the file name.
    public init(file: GGUFFile) throws {
        let meta = file.metadata
        let model = try meta.optionalString(TokenizerKey.model) ?? "gpt2"
        guard model == "gpt2" else {
            throw InferenceError.unsupportedTokenizer(file: file.name, model: model)
        }
        let tokens = try meta.strings(TokenizerKey.tokens)
        let types = try meta.optionalInts(TokenizerKey.tokenType)
            ?? Array(repeating: TokenType.normal.rawValue, count: tokens.count)
        let merges = try meta.optionalStrings(TokenizerKey.merges) ?? []
        let preName = try meta.optionalString(TokenizerKey.pre) ?? "default"
        do {
            let pre = try PreTokenizer(ggufName: preName)
            tokenizer = try BytePairEncoder(
                tokens: tokens, merges: merges, tokenTypes: types, preTokenizer: pre)
        } catch let error as TokenizerError {
            throw InferenceError.badTokenizer(file: file.name, problem: error.description)
        }
        func tokenID(_ key: String) throws -> TokenID? {
            guard let id = try meta.optionalInt(key) else { return nil }
            guard id >= 0, id < tokens.count else {
                throw InferenceError.badTokenizer(
                    file: file.name, problem: "\(key) \(id) is not a token id (vocabulary of \(tokens.count))")
            }
            return id
        }
        tokenBOS = try tokenID(TokenizerKey.bos)
        tokenEOS = try tokenID(TokenizerKey.eos)
        addBOS = try meta.optionalBool(TokenizerKey.addBOS) ?? false
        chatTemplate = try meta.optionalString(TokenizerKey.chatTemplate)
        var eog = Set([tokenEOS, try tokenID(TokenizerKey.eot), try tokenID(TokenizerKey.eom)]
            .compactMap { $0 })
        for (id, text) in tokens.enumerated()
        where Self.endOfGenerationTexts.contains(text) && types[id] == TokenType.control.rawValue {
            eog.insert(id)
        }
        endOfGeneration = eog
    }

    /// The prompt's token ids: BOS first when the model wants it, control tokens matched.
    public func encodePrompt(_ text: String) -> [TokenID] {
        let ids = tokenizer.encode(text, parseSpecial: true)
        guard addBOS, let bos = tokenBOS, ids.first != bos else { return ids }
        return [bos] + ids
    }
}
