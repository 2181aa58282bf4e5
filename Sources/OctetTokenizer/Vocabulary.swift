// MARK: - Vocabulary

/// The token strings of a vocabulary with their types, the id of each string, and the raw
/// bytes each token stands for (kept in one flat buffer: cheap to build).
struct Vocabulary: Sendable {
    /// How a vocabulary writes the bytes its normal tokens stand for.
    enum Spelling: Sendable {
        /// GPT-2's byte-to-unicode alphabet (`Ġ` = space): byte-level BPE.
        case byteLevel
        /// The text itself with U+2581 `▁` for a space; other bytes as `<0xHH>` byte tokens.
        case sentencePiece
    }

    let tokens: [String]
    let types: [UInt8]
    let idByToken: [String: Int]
    /// `bytes[byteStarts[id]..<byteStarts[id + 1]]` are the bytes of token `id`.
    let bytes: [UInt8]
    let byteStarts: [Int32]
    /// The token that spells each single byte, or -1: byte-level, its one-character string;
    /// SentencePiece, its `<0xHH>` token, else the one-byte text (llama.cpp `byte_to_token`).
    let idForByte: [Int32]
    /// The first token of type "unknown", used for bytes the vocabulary cannot spell.
    let unknownID: Int32?

    init(tokens: [String], tokenTypes: [Int], spelling: Spelling = .byteLevel) throws {
        guard !tokens.isEmpty else { throw TokenizerError.invalidVocabulary("no tokens") }
        guard tokenTypes.count == tokens.count else {
            throw TokenizerError.invalidVocabulary(
                "\(tokens.count) tokens but \(tokenTypes.count) token types")
        }
        var types = [UInt8](repeating: 0, count: tokens.count)
        for (id, type) in tokenTypes.enumerated() {
            guard TokenType(rawValue: type) != nil else {
                throw TokenizerError.invalidVocabulary("token \(id) has unknown type \(type)")
            }
            types[id] = UInt8(type)
        }
        self.tokens = tokens
        self.types = types
        var idByToken = [String: Int](minimumCapacity: tokens.count)
        // A later duplicate wins, as in llama.cpp's `token_to_id`.
        for (id, token) in tokens.enumerated() { idByToken[token] = id }
        self.idByToken = idByToken
        (bytes, byteStarts) = Self.tokenBytes(tokens, types, spelling)
        idForByte = Self.byteTokens(idByToken, spelling)
        unknownID = types.firstIndex(of: UInt8(TokenType.unknown.rawValue)).map { Int32($0) }
    }

    private static func byteTokens(_ idByToken: [String: Int], _ spelling: Spelling) -> [Int32] {
        let hex = Array("0123456789ABCDEF")
        return (0..<256).map { byte -> Int32 in
            switch spelling {
            case .byteLevel:
                return idByToken[String(Unicode.Scalar(ByteLevel.scalarForByte[byte])!)]
                    .map(Int32.init) ?? -1
            case .sentencePiece:
                let token = "<0x\(hex[byte >> 4])\(hex[byte & 15])>"
                let single = byte < 0x80 ? idByToken[String(Unicode.Scalar(UInt8(byte)))] : nil
                return (idByToken[token] ?? single).map(Int32.init) ?? -1
            }
        }
    }

    /// The bytes of every token. Byte-level: normal tokens decoded from the alphabet, the UTF-8
    /// text for control, user-defined, unknown and unused ones. SentencePiece, as llama.cpp's
    /// `token_to_piece`: normal tokens with `▁` made a space, control, unknown and user-defined
    /// ones as their text, unused and undefined ones as nothing. Both: one byte for `<0xHH>`.
    private static func tokenBytes(_ tokens: [String], _ types: [UInt8], _ spelling: Spelling)
        -> ([UInt8], [Int32]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(tokens.count * 8)
        var starts: [Int32] = []
        starts.reserveCapacity(tokens.count + 1)
        for (id, token) in tokens.enumerated() {
            starts.append(Int32(bytes.count))
            let type = TokenType(rawValue: Int(types[id]))
            if spelling == .sentencePiece, type != .byte {
                appendSentencePieceBytes(token, type, to: &bytes)
                continue
            }
            switch type {
            case .normal?, .undefined?:
                ByteLevel.decode(token, into: &bytes)
            case .byte?:
                if let byte = byteTokenValue(token) { bytes.append(byte) } else {
                    bytes.append(contentsOf: token.utf8)
                }
            default:
                bytes.append(contentsOf: token.utf8)
            }
        }
        starts.append(Int32(bytes.count))
        return (bytes, starts)
    }

    private static func appendSentencePieceBytes(_ token: String, _ type: TokenType?,
                                                 to bytes: inout [UInt8]) {
        switch type {
        case .normal?:
            SentencePiece.unescape(token.utf8, into: &bytes)
        case .control?, .unknown?, .userDefined?:
            bytes.append(contentsOf: token.utf8)
        default:
            break
        }
    }

    /// The byte of a `<0xHH>` token.
    static func byteTokenValue(_ token: String) -> UInt8? {
        let utf8 = Array(token.utf8)
        guard utf8.count == 6, token.hasPrefix("<0x"), utf8[5] == UInt8(ascii: ">") else {
            return nil
        }
        return UInt8(String(decoding: utf8[3..<5], as: UTF8.self), radix: 16)
    }

    var count: Int { tokens.count }

    func isValid(_ id: Int) -> Bool { id >= 0 && id < tokens.count }

    func type(_ id: Int) -> TokenType? {
        isValid(id) ? TokenType(rawValue: Int(types[id])) : nil
    }

    /// Appends the bytes of token `id` (nothing for an invalid id).
    func appendBytes(of id: Int, to out: inout [UInt8]) {
        guard isValid(id) else { return }
        out.append(contentsOf: bytes[Int(byteStarts[id])..<Int(byteStarts[id + 1])])
    }
}
