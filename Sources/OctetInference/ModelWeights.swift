import Dispatch
import Foundation
import OctetGGUF
import OctetKernels

// MARK: - Weights of one layer

/// The weights of one transformer layer. Matrices are (rows = outputs) x (cols = inputs).
final class LayerWeights {
    /// (embeddingDim) RMSNorm weight before attention.
    let attentionNorm: AlignedBuffer<Float>
    /// (queryDim x embeddingDim), (kvDim x embeddingDim) x 2, (embeddingDim x queryDim).
    let query, key, value, attentionOutput: QuantizedMatrix
    /// (embeddingDim) RMSNorm weight before the feed-forward block.
    let feedForwardNorm: AlignedBuffer<Float>
    /// (feedForwardDim x embeddingDim) x 2 and (embeddingDim x feedForwardDim).
    let gate, up, down: QuantizedMatrix

    init(attentionNorm: AlignedBuffer<Float>, query: QuantizedMatrix, key: QuantizedMatrix,
         value: QuantizedMatrix, attentionOutput: QuantizedMatrix, feedForwardNorm: AlignedBuffer<Float>,
         gate: QuantizedMatrix, up: QuantizedMatrix, down: QuantizedMatrix) {
        self.attentionNorm = attentionNorm
        self.query = query
        self.key = key
        self.value = value
        self.attentionOutput = attentionOutput
        self.feedForwardNorm = feedForwardNorm
        self.gate = gate
        self.up = up
        self.down = down
    }
}

// MARK: - Weights of the model

/// Every weight of a llama-family model, requantized to INT8 (norms stay float).
final class ModelWeights {
    /// (vocabularySize x embeddingDim): the embedding lookup reads one row.
    let tokenEmbedding: QuantizedMatrix
    let layers: [LayerWeights]
    /// (embeddingDim) the final RMSNorm weight.
    let outputNorm: AlignedBuffer<Float>
    /// (vocabularySize x embeddingDim): the classifier; the same object as `tokenEmbedding`
    /// when the embeddings are tied.
    let output: QuantizedMatrix
    /// (ropeDim / 2) RoPE frequencies, file factors applied.
    let ropeFrequencies: [Double]

    init(tokenEmbedding: QuantizedMatrix, layers: [LayerWeights], outputNorm: AlignedBuffer<Float>,
         output: QuantizedMatrix, ropeFrequencies: [Double]) {
        self.tokenEmbedding = tokenEmbedding
        self.layers = layers
        self.outputNorm = outputNorm
        self.output = output
        self.ropeFrequencies = ropeFrequencies
    }

    /// Bytes of the INT8 matrices and their scales.
    var matrixBytes: Int {
        var total = tokenEmbedding.byteCount + (output === tokenEmbedding ? 0 : output.byteCount)
        for l in layers {
            for m in [l.query, l.key, l.value, l.attentionOutput, l.gate, l.up, l.down] { total += m.byteCount }
        }
        return total
    }
}

// MARK: - Loading

extension ModelWeights {
    /// Reads every tensor `config` needs from `file`, checking names, shapes and types first,
    /// then requantizes the matrices on `threads` threads.
    /// - Throws: `InferenceError.badTensor` (missing, wrong shape) or `.unsupportedTensorType`.
    static func load(from file: GGUFFile, config c: ModelConfig, threads: Int) throws -> ModelWeights {
        try checkMemory(for: c, fileName: file.name)
        var loader = WeightLoader(file: file)
        let embedding = try loader.matrix(TensorName.tokenEmbedding, rows: c.vocabularySize, cols: c.embeddingDim)
        let output = c.tiedEmbeddings
            ? embedding : try loader.matrix(TensorName.output, rows: c.vocabularySize, cols: c.embeddingDim)
        var layers: [LayerWeights] = []
        for i in 0 ..< c.layerCount {
            layers.append(LayerWeights(
                attentionNorm: try loader.vector(TensorName.attentionNorm(i), count: c.embeddingDim),
                query: try loader.matrix(TensorName.attentionQuery(i), rows: c.queryDim, cols: c.embeddingDim),
                key: try loader.matrix(TensorName.attentionKey(i), rows: c.kvDim, cols: c.embeddingDim),
                value: try loader.matrix(TensorName.attentionValue(i), rows: c.kvDim, cols: c.embeddingDim),
                attentionOutput: try loader.matrix(TensorName.attentionOutput(i), rows: c.embeddingDim, cols: c.queryDim),
                feedForwardNorm: try loader.vector(TensorName.feedForwardNorm(i), count: c.embeddingDim),
                gate: try loader.matrix(TensorName.feedForwardGate(i), rows: c.feedForwardDim, cols: c.embeddingDim),
                up: try loader.matrix(TensorName.feedForwardUp(i), rows: c.feedForwardDim, cols: c.embeddingDim),
                down: try loader.matrix(TensorName.feedForwardDown(i), rows: c.embeddingDim, cols: c.feedForwardDim)))
        }
        let outputNorm = try loader.vector(TensorName.outputNorm, count: c.embeddingDim)
        var frequencies = c.ropeFrequencies
        if file.tensor(named: TensorName.ropeFrequencies) != nil {
            let factors = try loader.vector(TensorName.ropeFrequencies, count: c.ropeDim / 2)
            for i in frequencies.indices { frequencies[i] /= Double(factors.pointer[i]) }
        }
        try loader.requantizeAll(threads: threads)
        return ModelWeights(tokenEmbedding: embedding, layers: layers, outputNorm: outputNorm,
                            output: output, ropeFrequencies: frequencies)
    }
}

// MARK: - Memory

extension ModelWeights {
    /// Bytes the INT8 matrices of `c` take (weights and scales, as `QuantizedMatrix` packs them).
    static func plannedBytes(_ c: ModelConfig) -> Double {
        func bytes(_ rows: Int, _ cols: Int) -> Double {
            Double(QuantizedMatrix.byteCount(rows: rows, cols: cols))
        }
        let embedding = bytes(c.vocabularySize, c.embeddingDim) * (c.tiedEmbeddings ? 1 : 2)
        let layer = bytes(c.queryDim, c.embeddingDim) + 2 * bytes(c.kvDim, c.embeddingDim)
            + bytes(c.embeddingDim, c.queryDim) + 2 * bytes(c.feedForwardDim, c.embeddingDim)
            + bytes(c.embeddingDim, c.feedForwardDim)
        return embedding + Double(c.layerCount) * layer
    }

    /// Refuses, before allocating anything, a model whose INT8 weights alone need more than
    /// the machine's memory: loading it would end in an allocation failure or the kernel's
    /// OOM killer, after a long time (a header with lying sizes over a huge sparse file).
    static func checkMemory(for c: ModelConfig, fileName: String,
                            physicalMemory: UInt64 = ProcessInfo.processInfo.physicalMemory) throws {
        let needed = plannedBytes(c)
        guard needed > Double(physicalMemory) else { return }
        let gigabytes = { (bytes: Double) in String(format: "%.1f GB", bytes / 1e9) }
        throw InferenceError.outOfMemory(
            what: "the weights of \(fileName): \(gigabytes(needed)) as INT8, more than this "
                + "machine's \(gigabytes(Double(physicalMemory))) of memory")
    }
}

/// Collects the matrices to requantize while checking each tensor, then fills them in parallel.
struct WeightLoader {
    let file: GGUFFile
    private(set) var jobs: [(tensor: GGUFTensorInfo, matrix: QuantizedMatrix)] = []

    init(file: GGUFFile) { self.file = file }

    /// The tensor `name`, checked to be present and to have ggml shape `dimensions`.
    func tensor(_ name: String, dimensions: [Int]) throws -> GGUFTensorInfo {
        guard let t = file.tensor(named: name) else {
            throw InferenceError.badTensor(file: file.name, tensor: name, problem: "missing")
        }
        guard t.dimensions == dimensions else {
            throw InferenceError.badTensor(
                file: file.name, tensor: name, problem: "shape \(t.dimensions), expected \(dimensions)")
        }
        return t
    }

    /// An empty `rows` x `cols` matrix to be filled from tensor `name` by `requantizeAll`.
    mutating func matrix(_ name: String, rows: Int, cols: Int) throws -> QuantizedMatrix {
        let t = try tensor(name, dimensions: [cols, rows])
        guard QuantizedMatrix.canLoad(t.type) else {
            throw InferenceError.unsupportedTensorType(file: file.name, tensor: name, type: t.type.description)
        }
        let m = QuantizedMatrix(rows: rows, cols: cols)
        jobs.append((t, m))
        return m
    }

    /// A float vector (norm weights stay float), dequantized from whatever type it has.
    func vector(_ name: String, count: Int) throws -> AlignedBuffer<Float> {
        let t = try tensor(name, dimensions: [count])
        guard Dequantize.isSupported(t.type) else {
            throw InferenceError.unsupportedTensorType(file: file.name, tensor: name, type: t.type.description)
        }
        return AlignedBuffer(try file.dequantize(t))
    }

    /// Requantizes every collected matrix, biggest first, on `threads` threads.
    func requantizeAll(threads: Int) throws {
        let order = jobs.indices.sorted { jobs[$0].tensor.byteCount > jobs[$1].tensor.byteCount }
        let failures = FailureList()
        let next = NextIndex()
        let workers = max(1, min(threads, order.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let k = next.take(below: order.count) {
                let job = jobs[order[k]]
                do {
                    try job.matrix.pack(from: file.data(for: job.tensor).baseAddress!, type: job.tensor.type)
                } catch {
                    failures.add(InferenceError.unsupportedTensorType(
                        file: file.name, tensor: job.tensor.name, type: job.tensor.type.description))
                }
            }
        }
        if let first = failures.first { throw first }
    }
}

/// A shared counter handing out job indices to the loading threads.
private final class NextIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// Errors met by the loading threads.
private final class FailureList: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [Error] = []

    func add(_ error: Error) {
        lock.lock()
        errors.append(error)
        lock.unlock()
    }

    var first: Error? {
        lock.lock()
        defer { lock.unlock() }
        return errors.first
    }
}
