import OctetKernels

// MARK: - Forward pass

/// The llama forward pass over INT8 weights: tokens in, logits after the last one out.
/// Decode (one token) and prefill (a batch) are the same code: every matrix product is one
/// `oct_par_matmul` over all tokens of the call, so each weight is read once per call.
final class Transformer {
    let config: ModelConfig
    let weights: ModelWeights
    let pool: WorkerPool

    /// The pointers one layer's kernels need, gathered once so the forward pass touches no
    /// Swift object per layer.
    struct LayerKernels {
        /// [query, key, value], [attention output], [gate, up], [down].
        var qkv, attentionOutput, gateUp, down: UnsafeMutablePointer<UnsafePointer<oct_q8_matrix>?>
        /// (embeddingDim) the two RMSNorm weights.
        var attentionNorm, feedForwardNorm: UnsafePointer<Float>
    }

    /// (layerCount) per-layer kernel pointers.
    private let layerKernels: UnsafeMutablePointer<LayerKernels>
    /// [output] for the classifier product.
    private let classifier: UnsafeMutablePointer<UnsafePointer<oct_q8_matrix>?>
    /// (ropeDim / 2) RoPE frequencies.
    private let ropeFrequencies: UnsafeMutablePointer<Double>

    init(config: ModelConfig, weights: ModelWeights, pool: WorkerPool) {
        self.config = config
        self.weights = weights
        self.pool = pool
        func list(_ ms: [QuantizedMatrix]) -> UnsafeMutablePointer<UnsafePointer<oct_q8_matrix>?> {
            let p = UnsafeMutablePointer<UnsafePointer<oct_q8_matrix>?>.allocate(capacity: ms.count)
            for (i, m) in ms.enumerated() { p[i] = UnsafePointer(m.kernel) }
            return p
        }
        layerKernels = .allocate(capacity: weights.layers.count)
        for (i, l) in weights.layers.enumerated() {
            layerKernels[i] = LayerKernels(
                qkv: list([l.query, l.key, l.value]), attentionOutput: list([l.attentionOutput]),
                gateUp: list([l.gate, l.up]), down: list([l.down]),
                attentionNorm: UnsafePointer(l.attentionNorm.pointer),
                feedForwardNorm: UnsafePointer(l.feedForwardNorm.pointer))
        }
        classifier = list([weights.output])
        ropeFrequencies = .allocate(capacity: max(1, weights.ropeFrequencies.count))
        ropeFrequencies.initialize(from: weights.ropeFrequencies, count: weights.ropeFrequencies.count)
    }

    deinit {
        for i in 0 ..< weights.layers.count {
            let l = layerKernels[i]
            for p in [l.qkv, l.attentionOutput, l.gateUp, l.down] { p.deallocate() }
        }
        layerKernels.deallocate()
        classifier.deallocate()
        ropeFrequencies.deallocate()
    }

    /// Runs `tokens` (at most `state.batchCapacity`, ids already checked) at positions
    /// `position ..< position + tokens.count`, appending their keys and values to `cache`,
    /// and returns the logits after the last token (`state.logits`, vocabularySize floats).
    ///
    /// Cost: each weight read once; 2 x parameters x tokens multiply-adds in INT8, plus
    /// attention over the cache.
    @discardableResult
    func forward(_ tokens: UnsafeBufferPointer<Int>, position: Int, state s: RunState, cache: KVCache)
        -> UnsafeMutablePointer<Float>
    {
        let c = config, n = tokens.count, pool = pool.raw
        let dim = Int32(c.embeddingDim), ff = Int32(c.feedForwardDim), qDim = Int32(c.queryDim)
        let x = s.x.pointer, normed = s.normed.pointer, act = UnsafePointer(s.act)
        let eps = c.normEpsilon, scale = 1 / Float(c.headDim).squareRoot()

        // Embedding: row `token` of the token embedding matrix, per token.
        for i in 0 ..< n {
            weights.tokenEmbedding.dequantizeRow(tokens[i], into: x + i * c.embeddingDim)
        }
        // RoPE angles of each token's position, shared by every layer and head.
        for i in 0 ..< n {
            oct_rope_angles(s.ropeAngles.pointer + i * c.ropeDim, ropeFrequencies,
                            Int32(c.ropeDim / 2), Double(position + i))
        }
        for l in 0 ..< c.layerCount {
            let layer = layerKernels[l], kv = UnsafePointer(cache.layers + l)
            // Attention: RMSNorm, quantize once, q/k/v in one product.
            oct_par_rmsnorm_quantize(pool, x, layer.attentionNorm, Int32(n), dim, eps, normed, act)
            oct_par_matmul(pool, 3, layer.qkv, act, Int32(n), s.qkvOutputs)
            // RoPE on q and k, then k and v into the cache at their positions.
            oct_par_rope_store(pool, kv, s.query.pointer, s.key.pointer, s.value.pointer,
                               Int32(n), Int32(position), Int32(c.headCount), Int32(c.ropeDim),
                               s.ropeAngles.pointer)
            // Causal attention of each query over the cache (GQA: kv head = h / group).
            oct_par_attention(pool, kv, s.query.pointer, Int32(n), Int32(position), Int32(c.headCount),
                              scale, s.attention.pointer, s.attentionScratch.pointer)
            // Output projection and residual.
            oct_par_quantize(pool, s.attention.pointer, Int32(n), qDim, act)
            oct_par_matmul(pool, 1, layer.attentionOutput, act, Int32(n), s.projectionOutputs)
            oct_add(x, s.projection.pointer, Int32(n * c.embeddingDim))
            // Feed-forward: RMSNorm, gate and up in one product, SwiGLU, down, residual.
            oct_par_rmsnorm_quantize(pool, x, layer.feedForwardNorm, Int32(n), dim, eps, normed, act)
            oct_par_matmul(pool, 2, layer.gateUp, act, Int32(n), s.gateUpOutputs)
            oct_par_swiglu_quantize(pool, s.gate.pointer, s.up.pointer, Int32(n), ff, act)
            oct_par_matmul(pool, 1, layer.down, act, Int32(n), s.projectionOutputs)
            oct_add(x, s.projection.pointer, Int32(n * c.embeddingDim))
        }
        // Final RMSNorm and classifier, for the last token only.
        oct_par_rmsnorm_quantize(pool, x + (n - 1) * c.embeddingDim, weights.outputNorm.pointer, 1,
                                 dim, eps, normed, act)
        oct_par_matmul(pool, 1, classifier, act, 1, s.logitsOutputs)
        return s.logits.pointer
    }
}
