import Foundation

// MARK: - The layout of a saved KV cache

/// Where everything is in a saved KV cache (`ModelContext.exportState`), format `octet-kv-1`.
/// All numbers little-endian (the byte order of every CPU Octet runs on):
///
/// ```
/// 0    16 bytes  "octet-kv-1", zero-padded
/// 16   u32 x 6   layerCount, kvHeads, headDim, vocabularySize, tokenCount n, 0
/// 40   i32 x n   the token ids, in order
///      then per layer, in order:
///        keys    (kvHeads, ceil(n / 16), headDim, 16) float16: the engine's own layout (keys
///                transposed in blocks of 16 positions); positions n ..< 16 * ceil(n / 16) are 0
///        values  (kvHeads, n, headDim) float16
/// ```
///
/// No logits are stored: a restored context re-evaluates its last token when logits are
/// needed (the generator always does: it keeps the last prompt token out of the cache).
/// Keys keep the kernels' blocked layout so that saving and restoring are one `memcpy` per
/// head; the layout does not depend on the context length. Change anything here and bump
/// `format`.
struct KVStateLayout: Equatable {
    /// The serialization's name; saved states of another name are refused.
    static let format = "octet-kv-1"
    static let formatFieldBytes = 16
    static let headerBytes = formatFieldBytes + 6 * 4

    var layerCount: Int
    var kvHeads: Int
    var headDim: Int
    var vocabularySize: Int
    var tokenCount: Int

    init(config: ModelConfig, tokenCount: Int) {
        layerCount = config.layerCount
        kvHeads = config.headCountKV
        headDim = config.headDim
        vocabularySize = config.vocabularySize
        self.tokenCount = tokenCount
    }

    /// Blocks of 16 positions the keys take.
    var keyBlocks: Int { (tokenCount + 15) / 16 }
    /// float16 values of one head's keys (whole blocks) and of its values.
    var keyHalvesPerHead: Int { keyBlocks * 16 * headDim }
    var valueHalvesPerHead: Int { tokenCount * headDim }
    /// Where the token ids start, and the first layer.
    var tokensOffset: Int { Self.headerBytes }
    var layersOffset: Int { Self.headerBytes + 4 * tokenCount }
    /// Bytes of one layer (keys then values of every head).
    var layerBytes: Int { 2 * kvHeads * (keyHalvesPerHead + valueHalvesPerHead) }
    /// The whole state's size.
    var totalBytes: Int { layersOffset + layerCount * layerBytes }

    /// Where layer `l`'s keys of head `h` start, and its values.
    func keysOffset(layer l: Int, head h: Int) -> Int {
        layersOffset + l * layerBytes + 2 * h * keyHalvesPerHead
    }
    func valuesOffset(layer l: Int, head h: Int) -> Int {
        layersOffset + l * layerBytes + 2 * kvHeads * keyHalvesPerHead + 2 * h * valueHalvesPerHead
    }

    // MARK: - Header

    /// The 40 header bytes.
    func writeHeader(to out: UnsafeMutableRawBufferPointer) {
        let name = Array(Self.format.utf8)
        for i in 0 ..< Self.formatFieldBytes { out[i] = i < name.count ? name[i] : 0 }
        let fields = [layerCount, kvHeads, headDim, vocabularySize, tokenCount, 0]
        for (i, field) in fields.enumerated() {
            out.storeBytes(of: UInt32(field).littleEndian, toByteOffset: Self.formatFieldBytes + 4 * i,
                           as: UInt32.self)
        }
    }

    /// Reads and checks the header of `bytes` against `expected` (the model's shape; its
    /// token count is ignored).
    /// - Throws: `InferenceError.badState` naming the first field that does not match.
    static func read(_ bytes: UnsafeRawBufferPointer, expecting expected: KVStateLayout) throws -> KVStateLayout {
        guard bytes.count >= headerBytes else {
            throw InferenceError.badState(problem: "\(bytes.count) bytes are too short for a header")
        }
        let field = bytes.prefix(formatFieldBytes)
        let name = String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
        guard name == format, field.dropFirst(name.utf8.count).allSatisfy({ $0 == 0 }) else {
            throw InferenceError.badState(problem: "format \"\(name)\" is not \(format)")
        }
        func value(_ i: Int) -> Int {
            Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: formatFieldBytes + 4 * i, as: UInt32.self)))
        }
        var layout = expected
        layout.tokenCount = value(4)
        for (i, name, want) in [(0, "layers", expected.layerCount), (1, "KV heads", expected.kvHeads),
                                (2, "head size", expected.headDim), (3, "vocabulary", expected.vocabularySize)]
            where value(i) != want {
            throw InferenceError.badState(problem: "\(value(i)) \(name), the model has \(want)")
        }
        guard value(5) == 0 else { throw InferenceError.badState(problem: "a reserved field is not 0") }
        guard bytes.count == layout.totalBytes else {
            throw InferenceError.badState(
                problem: "\(bytes.count) bytes, \(layout.tokenCount) tokens need \(layout.totalBytes)")
        }
        return layout
    }
}
