// MARK: - Vocabulary

/// The token strings of a byte-level vocabulary with their types, the id of each string,
/// and the raw bytes each token stands for (kept in one flat buffer: cheap to build).
struct Vocabulary: Sendable {
    let tokens: [String]
    let types: [UInt8]
    let idByToken: [String: Int]
    /// `bytes[byteStarts[id]..<byteStarts[id + 1]]` are the bytes of token `id`.
    let bytes: [UInt8]
    let byteStarts: [Int32]
    /// The token of each single byte (its one-character byte-level string), or -1.
    let idForByte: [Int32]
    /// The first token of type "unknown", used for bytes the vocabulary cannot spell.
    let unknownID: Int32?

    init(tokens: [String], tokenTypes: [Int]) throws {
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
        (bytes, byteStarts) = Self.tokenBytes(tokens, types)
        var idForByte = [Int32](repeating: -1, count: 256)
        for byte in 0..<256 {
            let text = String(Unicode.Scalar(ByteLevel.scalarForByte[byte])!)
            if let id = idByToken[text] { idForByte[byte] = Int32(id) }
        }
        self.idForByte = idForByte
        unknownID = types.firstIndex(of: UInt8(TokenType.unknown.rawValue)).map { Int32($0) }
    }

    /// The bytes of every token: byte-level decoded for normal tokens, the UTF-8 text for
    /// control, user-defined, unknown and unused ones, one byte for `<0xHH>` byte tokens.
    private static func tokenBytes(_ tokens: [String], _ types: [UInt8]) -> ([UInt8], [Int32]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(tokens.count * 8)
        var starts: [Int32] = []
        starts.reserveCapacity(tokens.count + 1)
        for (id, token) in tokens.enumerated() {
            starts.append(Int32(bytes.count))
            switch TokenType(rawValue: Int(types[id])) {
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
