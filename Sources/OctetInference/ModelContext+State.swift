import Foundation
import OctetKernels

// MARK: - Saving and restoring the KV cache

/// A context's cache as bytes, so that a long conversation resumed later need not be read
/// again (issue 6): the token ids and every layer's keys and values for positions `0 ..< n`,
/// laid out as `KVStateLayout` says (format `ModelContext.stateFormat`).
///
/// ```swift
/// let saved = try context.exportState()              // after a turn
/// let resumed = try model.makeContext()
/// try resumed.restoreState(saved)                    // resumed.cachedTokens == the saved ones
/// let logits = try resumed.evaluate(newTokens)        // only the new tokens are read
/// ```
///
/// A restored cache holds exactly the bytes the saved one held, so what follows is computed
/// bit for bit as it would have been in the saving context. Neither call is safe while the
/// context evaluates (drive them through `Generator.whenIdle`).
extension ModelContext {
    /// The name of the serialization (bumped whenever the layout changes).
    public static let stateFormat = KVStateLayout.format

    /// The bytes of the state after the first `tokenCount` cached tokens (nil: all of them).
    /// - Throws: `InferenceError.badState` for a count beyond the cached tokens.
    public func exportState(tokenCount: Int? = nil) throws -> Data {
        let n = tokenCount ?? cachedTokens.count
        guard n >= 0, n <= cachedTokens.count else {
            throw InferenceError.badState(problem: "\(n) tokens asked for, \(cachedTokens.count) cached")
        }
        let layout = KVStateLayout(config: model.config, tokenCount: n)
        var data = Data(count: layout.totalBytes)
        data.withUnsafeMutableBytes { out in
            layout.writeHeader(to: out)
            for (i, token) in cachedTokens.prefix(n).enumerated() {
                out.storeBytes(of: Int32(token).littleEndian, toByteOffset: layout.tokensOffset + 4 * i,
                               as: Int32.self)
            }
            for l in 0 ..< layout.layerCount {
                for h in 0 ..< layout.kvHeads {
                    copyHead(layer: l, head: h, layout: layout, saving: out.baseAddress!)
                }
            }
        }
        return data
    }

    /// Replaces the cache with a saved state of a context of the same model (any context
    /// length that holds its tokens). The logits after its last token are computed when
    /// `evaluate([])` or the next `evaluate` asks for them.
    /// - Throws: `InferenceError.badState` when `data` is not a state of this model's shape
    ///   (format, layers, heads, vocabulary, size, a token id), `.contextOverflow` when its
    ///   tokens do not fit; the cache is left as it was.
    public func restoreState(_ data: Data) throws {
        try data.withUnsafeBytes { bytes in
            let layout = try KVStateLayout.read(bytes, expecting: KVStateLayout(config: model.config, tokenCount: 0))
            guard layout.tokenCount <= contextLength else {
                throw InferenceError.contextOverflow(tokens: layout.tokenCount, contextLength: contextLength)
            }
            let tokens = (0 ..< layout.tokenCount).map {
                Int(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: layout.tokensOffset + 4 * $0, as: Int32.self)))
            }
            if let bad = tokens.first(where: { $0 < 0 || $0 >= vocabularySize }) {
                throw InferenceError.badState(problem: "token id \(bad) is outside the vocabulary")
            }
            for l in 0 ..< layout.layerCount {
                for h in 0 ..< layout.kvHeads {
                    copyHead(layer: l, head: h, layout: layout, restoring: bytes.baseAddress!)
                }
            }
            replaceCachedTokens(with: tokens)
        }
    }

    // MARK: - One head of one layer

    /// Copies head `h` of layer `l` from the cache into the state at `out`; key positions past
    /// the last token in its block are written as 0, so equal caches give equal bytes. (Raw
    /// copies: a state mapped from a file need not be aligned.)
    private func copyHead(layer l: Int, head h: Int, layout: KVStateLayout, saving out: UnsafeMutableRawPointer) {
        let (keys, values) = headArrays(layer: l, head: h)
        let savedKeys = out + layout.keysOffset(layer: l, head: h)
        savedKeys.copyMemory(from: keys, byteCount: 2 * layout.keyHalvesPerHead)
        let used = layout.tokenCount % 16
        if used != 0 {
            let last = savedKeys + 2 * (layout.keyBlocks - 1) * 16 * layout.headDim
            for d in 0 ..< layout.headDim {
                (last + 2 * (d * 16 + used)).initializeMemory(as: UInt8.self, repeating: 0, count: 2 * (16 - used))
            }
        }
        (out + layout.valuesOffset(layer: l, head: h))
            .copyMemory(from: values, byteCount: 2 * layout.valueHalvesPerHead)
    }

    /// Copies head `h` of layer `l` from the state at `state` into the cache.
    private func copyHead(layer l: Int, head h: Int, layout: KVStateLayout, restoring state: UnsafeRawPointer) {
        let (keys, values) = headArrays(layer: l, head: h)
        keys.copyMemory(from: state + layout.keysOffset(layer: l, head: h), byteCount: 2 * layout.keyHalvesPerHead)
        values.copyMemory(
            from: state + layout.valuesOffset(layer: l, head: h), byteCount: 2 * layout.valueHalvesPerHead)
    }

    /// The start of head `h`'s keys and values in layer `l` of the cache (`oct_kv_layer`).
    private func headArrays(layer l: Int, head h: Int) -> (keys: UnsafeMutableRawPointer, values: UnsafeMutableRawPointer) {
        let kv = cacheLayers[l], capacity = Int(kv.capacity), headDim = Int(kv.head_dim)
        return (UnsafeMutableRawPointer(kv.k! + h * capacity * headDim),
                UnsafeMutableRawPointer(kv.v! + h * capacity * headDim))
    }
}
