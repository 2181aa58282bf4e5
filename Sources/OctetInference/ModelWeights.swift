import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
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
    ///   With `releasingPages` (a memory-mapped file), each tensor's file pages are dropped
    ///   as soon as it is converted, so the file and the INT8 copy are never both resident.
    static func load(from file: GGUFFile, config c: ModelConfig, threads: Int, releasingPages: Bool) throws
        -> ModelWeights
    {
        try checkMemory(for: c, fileName: file.name)
        // Every matrix is checked before the arena is allocated: a small broken file whose
        // header claims a huge model is refused without reserving gigabytes first.
        try WeightLoader.checkMatrices(of: c, in: file)
        let arena = try WeightArena(byteCount: arenaBytes(c))
        var loader = WeightLoader(file: file, arena: arena, releasesPages: releasingPages)
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
    /// The INT8 matrices outside the layers: the token embedding, and the output matrix when
    /// it is not tied to it (tensor name, rows, cols).
    static func globalMatrices(_ c: ModelConfig) -> [(name: String, rows: Int, cols: Int)] {
        var all = [(TensorName.tokenEmbedding, c.vocabularySize, c.embeddingDim)]
        if !c.tiedEmbeddings { all.append((TensorName.output, c.vocabularySize, c.embeddingDim)) }
        return all
    }

    /// The seven INT8 matrices of layer `i`.
    static func layerMatrices(_ c: ModelConfig, layer i: Int) -> [(name: String, rows: Int, cols: Int)] {
        [(TensorName.attentionQuery(i), c.queryDim, c.embeddingDim),
         (TensorName.attentionKey(i), c.kvDim, c.embeddingDim),
         (TensorName.attentionValue(i), c.kvDim, c.embeddingDim),
         (TensorName.attentionOutput(i), c.embeddingDim, c.queryDim),
         (TensorName.feedForwardGate(i), c.feedForwardDim, c.embeddingDim),
         (TensorName.feedForwardUp(i), c.feedForwardDim, c.embeddingDim),
         (TensorName.feedForwardDown(i), c.embeddingDim, c.feedForwardDim)]
    }

    /// `bytes` summed over the global matrices of `c` and over one layer's: callers multiply
    /// the layer's by `layerCount`, never listing every matrix (a lying header may claim
    /// millions of layers).
    private static func sums<T: Numeric>(_ c: ModelConfig, _ bytes: (Int, Int) -> T) -> (global: T, layer: T) {
        (globalMatrices(c).reduce(T.zero) { $0 + bytes($1.rows, $1.cols) },
         layerMatrices(c, layer: 0).reduce(T.zero) { $0 + bytes($1.rows, $1.cols) })
    }

    /// Bytes of the INT8 matrices of `c`, in floating point so that a header with lying
    /// sizes cannot overflow: one byte per weight plus an f16 scale per 32 (`QuantizedMatrix`).
    static func plannedBytes(_ c: ModelConfig) -> Double {
        let s = sums(c) { Double($0) * Double($1) * (1 + 2.0 / 32) }
        return s.global + s.layer * Double(c.layerCount)
    }

    /// Bytes the arena takes for `c` (see `WeightArena.bytes`); only after `checkMemory` and
    /// `WeightLoader.checkMatrices` (the file then holds tensors of these shapes).
    static func arenaBytes(_ c: ModelConfig) -> Int {
        let s = sums(c) { WeightArena.bytes(rows: $0, cols: $1) }
        return s.global + s.layer * c.layerCount
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
    /// Where the matrices are allocated.
    let arena: WeightArena
    /// Whether to drop each tensor's pages of the (mapped) file once it is converted.
    let releasesPages: Bool
    private(set) var jobs: [(tensor: GGUFTensorInfo, matrix: QuantizedMatrix)] = []

    init(file: GGUFFile, arena: WeightArena, releasesPages: Bool) {
        self.file = file
        self.arena = arena
        self.releasesPages = releasesPages
    }

    /// Checks that `file` has each matrix of `c`, with its shape and a type that can be
    /// requantized; layer by layer, so a file claiming more layers than it has fails early.
    static func checkMatrices(of c: ModelConfig, in file: GGUFFile) throws {
        func check(_ matrices: [(name: String, rows: Int, cols: Int)]) throws {
            for m in matrices {
                let t = try tensor(m.name, dimensions: [m.cols, m.rows], in: file)
                guard QuantizedMatrix.canLoad(t.type) else {
                    throw InferenceError.unsupportedTensorType(file: file.name, tensor: m.name, type: t.type.description)
                }
            }
        }
        try check(ModelWeights.globalMatrices(c))
        for i in 0 ..< c.layerCount { try check(ModelWeights.layerMatrices(c, layer: i)) }
    }

    /// The tensor `name`, checked to be present and to have ggml shape `dimensions`.
    func tensor(_ name: String, dimensions: [Int]) throws -> GGUFTensorInfo {
        try Self.tensor(name, dimensions: dimensions, in: file)
    }

    static func tensor(_ name: String, dimensions: [Int], in file: GGUFFile) throws -> GGUFTensorInfo {
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
        let m = QuantizedMatrix(rows: rows, cols: cols, arena: arena)
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
                    let data = file.data(for: job.tensor)
                    try job.matrix.pack(from: data.baseAddress!, type: job.tensor.type)
                    if releasesPages { Self.releasePages(of: data) }
                } catch {
                    failures.add(InferenceError.unsupportedTensorType(
                        file: file.name, tensor: job.tensor.name, type: job.tensor.type.description))
                }
            }
        }
        if let first = failures.first { throw first }
    }
}

extension WeightLoader {
    /// Drops the whole pages inside `data` from this process's memory (`madvise(DONTNEED)`):
    /// for a read-only private file mapping they simply fault back in from the file if read
    /// again. Only for mapped files: on heap memory it would zero the bytes.
    static func releasePages(of data: UnsafeRawBufferPointer) {
        guard let base = data.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (Int(bitPattern: base) + page - 1) / page * page
        let end = (Int(bitPattern: base) + data.count) / page * page
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(pointer, end - start, Int32(MADV_DONTNEED))
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
