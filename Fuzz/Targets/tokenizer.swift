// MARK: - Fuzz target: the tokenizer
//
// The real SmolLM2 vocabulary (Tests/OctetTokenizerTests/Resources/smollm2-vocab.json, read once
// per process) under each pre-tokenizer, and tiny vocabularies made from the input. The first
// byte chooses what to do:
//   0: encode the rest as text; the tokens spell exactly the text's bytes (less the bytes the
//      vocabulary cannot spell), and decode gives the text back when it has none of those;
//   1: decode the rest as token ids (in range or not);
//   2: build a tokenizer from the input (tokens, types, merges), then encode and decode.
// Whatever the ids, the streaming decoder's pieces add up to `decode(ids)`. Texts are compared
// byte for byte (Swift's `==` on strings is canonical equivalence, too lenient here).

import Foundation
import OctetTokenizer

// MARK: - Set-up (once per process)

private struct VocabularyFile: Decodable {
    let tokens: [String]
    let merges: [String]
    let token_types: [Int]
}

/// The repository's root: $OCTET_FUZZ_ROOT (scripts/fuzz.sh sets it), else this file's.
private let root = ProcessInfo.processInfo.environment["OCTET_FUZZ_ROOT"]
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

private let smolLM: [BytePairEncoder] = {
    let path = root + "/Tests/OctetTokenizerTests/Resources/smollm2-vocab.json"
    do {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let file = try JSONDecoder().decode(VocabularyFile.self, from: data)
        return try PreTokenizer.allCases.map {
            try BytePairEncoder(
                tokens: file.tokens, merges: file.merges, tokenTypes: file.token_types,
                preTokenizer: $0)
        }
    } catch {
        fatalError("cannot load the SmolLM2 vocabulary at \(path): \(error)")
    }
}()

/// GPT-2's byte-to-unicode alphabet (the character standing for each byte).
private let byteLevelCharacter: [String] = {
    var table = [String](repeating: "", count: 256)
    var next: UInt32 = 256
    for byte in 0 ..< 256 {
        let printable = (0x21 ... 0x7E).contains(byte) || (0xA1 ... 0xAC).contains(byte)
            || (0xAE ... 0xFF).contains(byte)
        table[byte] = String(Unicode.Scalar(printable ? UInt32(byte) : next)!)
        if !printable { next += 1 }
    }
    return table
}()

/// The bytes SmolLM2 can spell (it lacks 21 of them; those are dropped when encoding).
private let spellable: [Bool] = (0 ..< 256).map { smolLM[0].id(of: byteLevelCharacter[$0]) != nil }

// MARK: - Entry point

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    switch input.byte() % 3 {
    case 0: encodeText(&input)
    case 1: decodeIDs(&input)
    default: syntheticVocabulary(&input)
    }
    return 0
}

// MARK: - Modes

private func encodeText(_ input: inout FuzzInput) {
    let tokenizer = smolLM[Int(input.byte()) % smolLM.count]
    let parseSpecial = input.bool()
    let text = String(decoding: input.rest(), as: UTF8.self)
    let ids = tokenizer.encode(text, parseSpecial: parseSpecial)
    checkIDs(ids, tokenizer)
    let spelled = ids.flatMap { tokenizer.tokenBytes($0) }
    let expected = text.utf8.filter { spellable[Int($0)] }
    fuzzCheck(spelled == expected, "tokens of \(text.debugDescription) spell other bytes: \(ids)")
    let decoded = tokenizer.decode(ids)
    if expected.count == text.utf8.count {
        fuzzCheck(decoded.utf8.elementsEqual(text.utf8), "decode(encode(\(text.debugDescription))) = \(decoded.debugDescription)")
    }
    checkStreaming(ids, tokenizer, decoded)
}

private func decodeIDs(_ input: inout FuzzInput) {
    let tokenizer = smolLM[0]
    var ids: [TokenID] = []
    while !input.isAtEnd {
        // Mostly ids in range; negative and too-large ones too.
        let raw = Int(Int16(bitPattern: input.uint16()))
        ids.append(raw >= 0 ? raw % (tokenizer.vocabularySize + 64) : raw)
    }
    for id in ids {
        let valid = id >= 0 && id < tokenizer.vocabularySize
        fuzzCheck((tokenizer.token(id) != nil) == valid, "token(\(id))")
        fuzzCheck(valid || tokenizer.tokenBytes(id).isEmpty, "bytes of invalid id \(id)")
        fuzzCheck(valid || !tokenizer.isControl(id), "invalid id \(id) is a control token")
        if let token = tokenizer.token(id) { _ = tokenizer.id(of: token) }
    }
    checkStreaming(ids, tokenizer, tokenizer.decode(ids))
}

/// A vocabulary of up to 32 short tokens with types 0...7 (7 is invalid) and merges that are
/// either two of the tokens or arbitrary text; building it throws or gives a tokenizer that
/// encodes any text into its own ids.
private func syntheticVocabulary(_ input: inout FuzzInput) {
    let count = Int(input.byte() % 32) + 1
    var tokens: [String] = []
    var types: [Int] = []
    for _ in 0 ..< count {
        tokens.append(input.bool() ? byteLevelCharacter[Int(input.byte())] : input.string(limit: 8))
        types.append(Int(input.byte() % 8))
    }
    var merges: [String] = []
    for _ in 0 ..< Int(input.byte() % 16) {
        if input.bool() {
            merges.append(input.string(limit: 12))
        } else {
            let left = tokens[Int(input.byte()) % count], right = tokens[Int(input.byte()) % count]
            merges.append(left + " " + right)
            if input.bool() { tokens.append(left + right); types.append(1) }
        }
    }
    let pre = PreTokenizer.allCases[Int(input.byte()) % PreTokenizer.allCases.count]
    guard let tokenizer = try? BytePairEncoder(
        tokens: tokens, merges: merges, tokenTypes: types, preTokenizer: pre)
    else { return }
    fuzzCheck(tokenizer.vocabularySize == tokens.count, "vocabulary size")
    let text = String(decoding: input.rest(), as: UTF8.self)
    for parseSpecial in [false, true] {
        let ids = tokenizer.encode(text, parseSpecial: parseSpecial)
        checkIDs(ids, tokenizer)
        checkStreaming(ids, tokenizer, tokenizer.decode(ids))
    }
}

// MARK: - Properties

private func checkIDs(_ ids: [TokenID], _ tokenizer: BytePairEncoder) {
    for id in ids {
        fuzzCheck(id >= 0 && id < tokenizer.vocabularySize, "id \(id) outside the vocabulary")
    }
}

/// The streaming decoder never splits a character and emits, in all, what `decode` gives.
private func checkStreaming(_ ids: [TokenID], _ tokenizer: BytePairEncoder, _ decoded: String) {
    var decoder = StreamingDecoder(tokenizer: tokenizer)
    var streamed = ""
    for id in ids { streamed += decoder.append(id) }
    streamed += decoder.finish()
    fuzzCheck(streamed.utf8.elementsEqual(decoded.utf8), "streamed \(streamed.debugDescription) != \(decoded.debugDescription)")
    fuzzCheck(decoder.finish().isEmpty, "finish() twice")
}
