import Foundation

// MARK: - Token ids

/// A token's index in the vocabulary.
public typealias TokenID = Int

/// The kinds of token a GGUF vocabulary declares (`tokenizer.ggml.token_type`).
public enum TokenType: Int, Sendable, CaseIterable {
    case undefined = 0
    case normal = 1
    case unknown = 2
    /// Special tokens such as `<|im_start|>`; matched in text only when asked to.
    case control = 3
    /// Tokens added by the model's author; always matched in text, stored as plain text.
    case userDefined = 4
    case unused = 5
    /// `<0xHH>` tokens standing for one raw byte.
    case byte = 6
}

// MARK: - Tokenizer

/// Text to token ids and back.
public protocol Tokenizer: Sendable {
    /// The number of tokens in the vocabulary (ids are `0..<vocabularySize`).
    var vocabularySize: Int { get }
    /// Encodes `text` without adding BOS/EOS. Control tokens (token type 3) are matched
    /// exactly wherever they appear in the text when `parseSpecial` is true.
    func encode(_ text: String, parseSpecial: Bool) -> [TokenID]
    /// The text of `ids`, control tokens rendered as their text; invalid UTF-8 becomes U+FFFD.
    func decode(_ ids: [TokenID]) -> String
    /// The raw bytes a token stands for (control tokens: their UTF-8 text; unknown ids: none).
    func tokenBytes(_ id: TokenID) -> [UInt8]
    /// The vocabulary string of a token (byte-level alphabet: `Ġ` is a space).
    func token(_ id: TokenID) -> String?
    /// The id of a vocabulary string, if it is one.
    func id(of token: String) -> TokenID?
    /// Whether `id` is a control token (`<|im_end|>`, ...).
    func isControl(_ id: TokenID) -> Bool
    /// The GGUF token type of `id` (nil for an id outside the vocabulary).
    func tokenType(_ id: TokenID) -> TokenType?
    /// Whether encoding writes a space before each text (SentencePiece's dummy prefix,
    /// `tokenizer.ggml.add_space_prefix`), so that the first token of a text carries a space
    /// that is not part of the text (`▁Hello`). False for byte-level BPE.
    var addSpacePrefix: Bool { get }
}

extension Tokenizer {
    /// Byte-level BPE writes what the text has, nothing more.
    public var addSpacePrefix: Bool { false }

    /// Encodes `text`, matching control tokens in it (the usual case for chat prompts).
    public func encode(_ text: String) -> [TokenID] { encode(text, parseSpecial: true) }
}
