// MARK: - Pre-tokenizer variants

/// How text is cut into pieces before byte-pair merging: the split pattern of a model family.
/// Each is a hand-written scanner over classified Unicode scalars that gives exactly the
/// pieces of the family's regular expression (no regex engine on the hot path).
public enum PreTokenizer: Sendable, Equatable, CaseIterable {
    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
    case gpt2
    /// SmolLM: every number character (`\p{N}`) is a piece of its own, then the GPT-2
    /// pattern on the text between them (Hugging Face `Digits(individual_digits=true)`
    /// followed by `ByteLevel(use_regex=true)`).
    case smollm
    /// Llama 3: case-insensitive contractions, `[^\r\n\p{L}\p{N}]?\p{L}+`, numbers in runs
    /// of at most three, ` ?[^\s\p{L}\p{N}]+[\r\n]*`, `\s*[\r\n]+`, `\s+(?!\S)`, `\s+`.
    case llamaBPE
    /// Qwen 2: the Llama 3 pattern with every number character on its own.
    case qwen2

    /// The pre-tokenizer a GGUF file names in `tokenizer.ggml.pre`.
    /// - Throws: `TokenizerError.unknownPreTokenizer` for a name not listed here.
    public init(ggufName: String) throws {
        switch ggufName {
        case "default", "gpt2", "gpt-2": self = .gpt2
        case "smollm": self = .smollm
        case "llama-bpe", "llama3", "llama-v3": self = .llamaBPE
        case "qwen2": self = .qwen2
        default: throw TokenizerError.unknownPreTokenizer(ggufName)
        }
    }

    /// Cuts the scalars of `run` into pieces, appending the end (a scalar index) of each.
    func split(_ run: ScalarRun, bytes: UnsafeBufferPointer<UInt8>,
               into ends: inout [Int32]) {
        let count = run.kinds.count
        run.kinds.withUnsafeBufferPointer { kinds in
            run.starts.withUnsafeBufferPointer { starts in
                let scanner = PieceScanner(kinds: kinds, starts: starts, bytes: bytes)
                switch self {
                case .gpt2: scanner.splitGPT2(0, count, into: &ends)
                case .smollm: scanner.splitSmolLM(count, into: &ends)
                case .llamaBPE: scanner.splitLlama(count, maxDigits: 3, into: &ends)
                case .qwen2: scanner.splitLlama(count, maxDigits: 1, into: &ends)
                }
            }
        }
    }
}

// MARK: - Scalar classes

/// The class of a Unicode scalar for the split patterns: the low two bits are the kind
/// (`\p{L}`, `\p{N}`, `\s`, anything else); flag bits mark the ASCII scalars the patterns
/// name literally.
enum ScalarKind {
    static let other: UInt8 = 0
    static let letter: UInt8 = 1
    static let number: UInt8 = 2
    static let whitespace: UInt8 = 3
    static let kindMask: UInt8 = 3
    /// U+0020, the optional ` ` of ` ?\p{L}+`.
    static let space: UInt8 = 4
    /// `\r` or `\n`.
    static let newline: UInt8 = 8
    /// `'`, which starts a contraction.
    static let apostrophe: UInt8 = 16

    /// The class of every ASCII scalar.
    static let ascii: [UInt8] = (0..<128).map { classify(UInt32($0)) }

    /// The class of any scalar: letters are general category L*, numbers N* (Nd, Nl, No),
    /// whitespace the Unicode White_Space property (what Oniguruma's `\s` matches).
    static func classify(_ value: UInt32) -> UInt8 {
        guard let scalar = Unicode.Scalar(value) else { return other }
        switch value {
        case 0x20: return whitespace | space
        case 0x0A, 0x0D: return whitespace | newline
        case 0x27: return other | apostrophe
        default: break
        }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return number
        default:
            return properties.isWhitespace ? whitespace : other
        }
    }
}

/// The scalars of a text fragment: the class of each and where each starts in the text.
struct ScalarRun {
    var kinds: [UInt8] = []
    /// Byte offset of each scalar in the text, then one more: the fragment's end.
    var starts: [Int32] = []

    /// Classifies the scalars of the valid UTF-8 `bytes[from..<to]`.
    mutating func load(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) {
        kinds.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        kinds.reserveCapacity(to - from)
        starts.reserveCapacity(to - from + 1)
        ScalarKind.ascii.withUnsafeBufferPointer { ascii in
            var i = from
            while i < to {
                let lead = bytes[i]
                starts.append(Int32(truncatingIfNeeded: i))
                if lead < 0x80 {
                    kinds.append(ascii[Int(lead)])
                    i += 1
                    continue
                }
                let (value, length) = Self.decode(bytes, at: i, lead: lead, end: to)
                kinds.append(NonASCIIKinds.kind(of: value))
                i += length
            }
        }
        starts.append(Int32(truncatingIfNeeded: to))
    }

    /// Decodes the multi-byte scalar starting at `i` (the text is valid UTF-8; a cut
    /// sequence at `end` is read as far as it goes, never past it).
    @inline(__always)
    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int, lead: UInt8,
                               end: Int) -> (UInt32, Int) {
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        var value = UInt32(lead) & (0x7F >> UInt32(length))
        var k = 1
        while k < length && i + k < end {
            value = value << 6 | UInt32(bytes[i + k] & 0x3F)
            k += 1
        }
        return (value, k)
    }
}

/// Classes of the non-ASCII scalars, with the Basic Multilingual Plane in a table built on
/// first use (a property lookup per CJK character would dominate encoding time).
enum NonASCIIKinds {
    static let basicPlane: [UInt8] = (0..<0x10000).map { ScalarKind.classify(UInt32($0)) }

    @inline(__always)
    static func kind(of value: UInt32) -> UInt8 {
        value < 0x10000 ? basicPlane[Int(value)] : ScalarKind.classify(value)
    }
}
