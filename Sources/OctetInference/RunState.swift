import OctetKernels

// MARK: - Activations

/// Every activation buffer of the forward pass for a batch of up to `batchCapacity` tokens,
/// allocated once per context (STYLE.md H2: nothing is allocated per token). Rows are tokens:
/// a "(B, dim)" buffer holds token i's vector at `i * dim`.
final class RunState {
    /// Most tokens one forward call takes (longer prompts run in chunks).
    let batchCapacity: Int
    /// (B, embeddingDim) the residual stream.
    let x: AlignedBuffer<Float>
    /// (B, embeddingDim) the residual stream after an RMSNorm.
    let normed: AlignedBuffer<Float>
    /// (B, queryDim) queries, (B, kvDim) keys and values of the current layer.
    let query, key, value: AlignedBuffer<Float>
    /// (B, queryDim) attention output (heads concatenated).
    let attention: AlignedBuffer<Float>
    /// (B, embeddingDim) output of the attention or feed-forward projection, before the residual add.
    let projection: AlignedBuffer<Float>
    /// (B, feedForwardDim) gate (then silu(gate) * up) and up activations.
    let gate, up: AlignedBuffer<Float>
    /// (vocabularySize) logits after the last token of a call.
    let logits: AlignedBuffer<Float>
    /// (B, ropeDim) RoPE cosines and sines of each token's position.
    let ropeAngles: AlignedBuffer<Float>
    /// (threads x oct_attention_scratch(capacity)) attention scores per thread.
    let attentionScratch: AlignedBuffer<Float>

    /// (B, widest input) an activation quantized per block of 32, reused by every matrix
    /// that reads it: values, scales and corrections (see `oct_q8_act`).
    let actValues: AlignedBuffer<Int8>
    let actScales: AlignedBuffer<Float>
    let actCorrections: AlignedBuffer<Int32>
    /// The kernels' view of the quantized activation.
    let act: UnsafeMutablePointer<oct_q8_act>

    /// Output lists for `oct_par_matmul`: [query, key, value], [gate, up], [projection], [logits].
    let qkvOutputs, gateUpOutputs, projectionOutputs, logitsOutputs: UnsafeMutablePointer<UnsafeMutablePointer<Float>?>

    init(config c: ModelConfig, batchCapacity b: Int, cacheCapacity: Int, threads: Int) {
        batchCapacity = b
        x = AlignedBuffer(count: b * c.embeddingDim)
        normed = AlignedBuffer(count: b * c.embeddingDim)
        query = AlignedBuffer(count: b * c.queryDim)
        key = AlignedBuffer(count: b * c.kvDim)
        value = AlignedBuffer(count: b * c.kvDim)
        attention = AlignedBuffer(count: b * c.queryDim)
        projection = AlignedBuffer(count: b * c.embeddingDim)
        gate = AlignedBuffer(count: b * c.feedForwardDim)
        up = AlignedBuffer(count: b * c.feedForwardDim)
        logits = AlignedBuffer(count: c.vocabularySize)
        ropeAngles = AlignedBuffer(count: b * c.ropeDim)
        attentionScratch = AlignedBuffer(count: threads * oct_attention_scratch(Int32(cacheCapacity)))
        let widest = max(c.embeddingDim, c.queryDim, c.feedForwardDim)
        actValues = AlignedBuffer(count: b * widest)
        actScales = AlignedBuffer(count: b * widest / 32)
        actCorrections = AlignedBuffer(count: b * widest / 32)
        act = .allocate(capacity: 1)
        act.initialize(to: oct_q8_act(qs: actValues.pointer, scales: actScales.pointer, corr: actCorrections.pointer))
        qkvOutputs = Self.list([query, key, value])
        gateUpOutputs = Self.list([gate, up])
        projectionOutputs = Self.list([projection])
        logitsOutputs = Self.list([logits])
    }

    deinit {
        act.deallocate()
        for list in [qkvOutputs, gateUpOutputs, projectionOutputs, logitsOutputs] { list.deallocate() }
    }

    private static func list(_ buffers: [AlignedBuffer<Float>]) -> UnsafeMutablePointer<UnsafeMutablePointer<Float>?> {
        let p = UnsafeMutablePointer<UnsafeMutablePointer<Float>?>.allocate(capacity: buffers.count)
        for (i, b) in buffers.enumerated() { p[i] = b.pointer }
        return p
    }
}
