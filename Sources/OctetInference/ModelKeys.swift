// MARK: - GGUF names of the model's hyperparameters and tensors
//
// Every metadata key and tensor name the engine reads, in one place (STYLE.md H4). The keys
// follow llama.cpp `src/llama-arch.cpp` (`LLM_KV_*`, `LLM_TENSOR_*`); per-architecture keys
// are prefixed with the `general.architecture` string (`llama.block_count`).

/// GGUF metadata keys of a model's hyperparameters.
enum ModelKey {
    /// `general.architecture`: `llama`, `qwen2`, ...
    static let architecture = "general.architecture"
    /// `general.name`: the model's display name, if any.
    static let name = "general.name"

    /// `<arch>.block_count`: transformer layers.
    static func blockCount(_ arch: String) -> String { "\(arch).block_count" }
    /// `<arch>.embedding_length`: the residual stream width.
    static func embeddingLength(_ arch: String) -> String { "\(arch).embedding_length" }
    /// `<arch>.feed_forward_length`: the hidden width of the SwiGLU block.
    static func feedForwardLength(_ arch: String) -> String { "\(arch).feed_forward_length" }
    /// `<arch>.context_length`: the context the model was trained for.
    static func contextLength(_ arch: String) -> String { "\(arch).context_length" }
    /// `<arch>.attention.head_count`: query heads.
    static func headCount(_ arch: String) -> String { "\(arch).attention.head_count" }
    /// `<arch>.attention.head_count_kv`: key/value heads (GQA); absent = head_count.
    static func headCountKV(_ arch: String) -> String { "\(arch).attention.head_count_kv" }
    /// `<arch>.attention.key_length`: head dimension; absent = embedding_length / head_count.
    static func keyLength(_ arch: String) -> String { "\(arch).attention.key_length" }
    /// `<arch>.attention.layer_norm_rms_epsilon`: RMSNorm's epsilon.
    static func rmsEpsilon(_ arch: String) -> String { "\(arch).attention.layer_norm_rms_epsilon" }
    /// `<arch>.rope.dimension_count`: dimensions of each head that RoPE rotates.
    static func ropeDimensionCount(_ arch: String) -> String { "\(arch).rope.dimension_count" }
    /// `<arch>.rope.freq_base`: RoPE's base (10000 when absent).
    static func ropeFreqBase(_ arch: String) -> String { "\(arch).rope.freq_base" }
    /// `<arch>.rope.scaling.type`: `none`, `linear` (others are not supported).
    static func ropeScalingType(_ arch: String) -> String { "\(arch).rope.scaling.type" }
    /// `<arch>.rope.scaling.factor`: positions are divided by it under linear scaling.
    static func ropeScalingFactor(_ arch: String) -> String { "\(arch).rope.scaling.factor" }
    /// `<arch>.rope.scale_linear`: the older spelling of a linear scaling factor.
    static func ropeScaleLinear(_ arch: String) -> String { "\(arch).rope.scale_linear" }
}

/// GGUF tensor names of the llama family.
enum TensorName {
    static let tokenEmbedding = "token_embd.weight"
    static let outputNorm = "output_norm.weight"
    /// The classifier; absent when it is tied to the token embedding.
    static let output = "output.weight"
    /// Per-dimension divisors of RoPE's frequencies (Llama 3.1 style), optional.
    static let ropeFrequencies = "rope_freqs.weight"

    static func attentionNorm(_ layer: Int) -> String { "blk.\(layer).attn_norm.weight" }
    static func attentionQuery(_ layer: Int) -> String { "blk.\(layer).attn_q.weight" }
    static func attentionKey(_ layer: Int) -> String { "blk.\(layer).attn_k.weight" }
    static func attentionValue(_ layer: Int) -> String { "blk.\(layer).attn_v.weight" }
    static func attentionOutput(_ layer: Int) -> String { "blk.\(layer).attn_output.weight" }
    static func feedForwardNorm(_ layer: Int) -> String { "blk.\(layer).ffn_norm.weight" }
    static func feedForwardGate(_ layer: Int) -> String { "blk.\(layer).ffn_gate.weight" }
    static func feedForwardUp(_ layer: Int) -> String { "blk.\(layer).ffn_up.weight" }
    static func feedForwardDown(_ layer: Int) -> String { "blk.\(layer).ffn_down.weight" }
}
