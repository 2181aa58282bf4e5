import Foundation
import XCTest
@testable import OctetInference
import OctetTokenizer

// MARK: - A tiny byte-level vocabulary

/// Control tokens 0-2, then one token per byte (3 + byte), then the pieces of `pieces`.
/// Token strings are in GPT-2's byte-to-unicode alphabet, as in a real GGUF vocabulary.
enum TinyVocabulary {
    static let endOfText = 0, imStart = 1, imEnd = 2
    static let pieces = ["Hello", " world", "!", "\n", "\nUs", "er:", "end.\n\nUser: more", " ok"]

    static let tokenizer: BytePairEncoder = {
        let tokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
            + (0..<256).map { byteLevel([UInt8($0)]) } + pieces.map { byteLevel(Array($0.utf8)) }
        let types = [3, 3, 3] + [Int](repeating: 1, count: 256 + pieces.count)
        return try! BytePairEncoder(tokens: tokens, merges: [], tokenTypes: types, preTokenizer: .gpt2)
    }()

    static func byte(_ b: UInt8) -> TokenID { 3 + Int(b) }

    /// The token of a piece of `pieces`.
    static func piece(_ text: String) -> TokenID { 3 + 256 + pieces.firstIndex(of: text)! }

    /// The byte tokens of `text` (a character's bytes split one per token).
    static func bytes(_ text: String) -> [TokenID] { text.utf8.map(byte) }

    /// GPT-2 `bytes_to_unicode`: printable Latin-1 bytes stand for themselves, the others
    /// for code points from 256 up.
    static func byteLevel(_ bytes: [UInt8]) -> String {
        var scalarOf = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for b in 0..<256 {
            let printable = (33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b)
            scalarOf[b] = printable ? UInt32(b) : next
            if !printable { next += 1 }
        }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar(scalarOf[Int($0)])! }))
    }
}

// MARK: - A scripted model

/// A `LogitsSource` whose next-token logits come from a closure over the cached tokens, and
/// which records every call.
final class ScriptedModel: LogitsSource {
    let vocabularySize: Int
    let contextLength: Int
    private(set) var cachedTokens: [TokenID] = []
    /// Every batch passed to `evaluate`, in order.
    private(set) var evaluated: [[TokenID]] = []
    /// Every `truncateCache` argument, in order.
    private(set) var truncations: [Int] = []
    /// Seconds each `evaluate` sleeps (to let a consumer keep up).
    var delay: Double = 0
    private let next: ([TokenID]) -> [Float]
    private let row: UnsafeMutableBufferPointer<Float>

    init(vocabularySize: Int = TinyVocabulary.tokenizer.vocabularySize, contextLength: Int = 64,
         next: @escaping ([TokenID]) -> [Float]) {
        self.vocabularySize = vocabularySize
        self.contextLength = contextLength
        self.next = next
        row = .allocate(capacity: vocabularySize)
    }

    deinit { row.deallocate() }

    func truncateCache(to count: Int) {
        truncations.append(count)
        cachedTokens.removeLast(cachedTokens.count - count)
    }

    func evaluate(_ tokens: [TokenID]) throws -> UnsafeBufferPointer<Float> {
        evaluated.append(tokens)
        guard cachedTokens.count + tokens.count <= contextLength else {
            throw InferenceError.contextOverflow(
                tokens: cachedTokens.count + tokens.count, contextLength: contextLength)
        }
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        cachedTokens += tokens
        let values = next(cachedTokens)
        for i in 0..<vocabularySize { row[i] = values[i] }
        return UnsafeBufferPointer(row)
    }

    /// A model that answers `prompt` with `reply` token by token, then `after` forever.
    static func replying(
        _ reply: [TokenID], to prompt: [TokenID], then after: TokenID = TinyVocabulary.imEnd,
        contextLength: Int = 64
    ) -> ScriptedModel {
        let n = TinyVocabulary.tokenizer.vocabularySize
        return ScriptedModel(contextLength: contextLength) { tokens in
            let step = tokens.count - prompt.count
            let id = step >= 0 && step < reply.count ? reply[step] : after
            var logits = [Float](repeating: 0, count: n)
            logits[id] = 10
            return logits
        }
    }
}

// MARK: - Running a generation

/// What a whole generation produced.
struct Outcome {
    var events: [GenerationEvent] = []
    var ids: [TokenID] { events.compactMap { if case .token(let id, _) = $0 { id } else { nil } } }
    /// Every text piece, `.finished`'s included.
    var text: String {
        events.map {
            switch $0 {
            case .token(_, let text), .finished(let text, _): text
            }
        }.joined()
    }
    var stats: GenerationStats? {
        if case .finished(_, let stats)? = events.last { stats } else { nil }
    }
    var finishedCount: Int {
        events.filter { if case .finished = $0 { true } else { false } }.count
    }
}

func collect(_ iterator: TokenIterator) -> Outcome {
    var outcome = Outcome()
    for event in iterator { outcome.events.append(event) }
    return outcome
}

func generator(_ model: ScriptedModel) -> Generator {
    Generator(
        model: model, tokenizer: TinyVocabulary.tokenizer,
        endOfGeneration: [TinyVocabulary.endOfText, TinyVocabulary.imEnd])
}
