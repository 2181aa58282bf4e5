import OctetKernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - KV cache

/// The keys and values of every layer for up to `capacity` positions, in float16, in the
/// kernels' layout (`oct_kv_layer`: keys transposed in blocks of 16 positions, values
/// row-major). Allocated zeroed with `calloc`, so pages become resident only as positions
/// are written: a full 8192-token cache of SmolLM2-135M is 189 MB, a short chat a few MB.
final class KVCache {
    /// Positions held (the context length rounded up to 16).
    let capacity: Int
    /// (layerCount) the kernels' view of each layer.
    let layers: UnsafeMutablePointer<oct_kv_layer>
    let layerCount: Int
    /// (layerCount, kvHeads, capacity, headDim) float16 keys (transposed per 16 positions).
    private let keys: UnsafeMutablePointer<UInt16>
    /// (layerCount, kvHeads, capacity, headDim) float16 values.
    private let values: UnsafeMutablePointer<UInt16>

    /// A cache for `contextLength` positions of a model shaped like `config`.
    /// - Throws: `InferenceError.outOfMemory` when the memory cannot be had.
    init(config: ModelConfig, contextLength: Int) throws {
        capacity = (contextLength + 15) / 16 * 16
        layerCount = config.layerCount
        let perLayer = oct_kv_layer_bytes(Int32(capacity), Int32(config.headCountKV), Int32(config.headDim)) / 2
        guard let k = calloc(perLayer * layerCount, 2), let v = calloc(perLayer * layerCount, 2) else {
            throw InferenceError.outOfMemory(what: "a KV cache of \(contextLength) positions")
        }
        keys = k.bindMemory(to: UInt16.self, capacity: perLayer * layerCount)
        values = v.bindMemory(to: UInt16.self, capacity: perLayer * layerCount)
        layers = .allocate(capacity: layerCount)
        for l in 0 ..< layerCount {
            layers[l] = oct_kv_layer(
                k: keys + l * perLayer, v: values + l * perLayer, capacity: Int32(capacity),
                kv_heads: Int32(config.headCountKV), head_dim: Int32(config.headDim))
        }
    }

    deinit {
        free(keys)
        free(values)
        layers.deallocate()
    }
}
