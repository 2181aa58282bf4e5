import OctetGGUF

// MARK: - llama

extension Architecture {
    /// `llama`: Llama 1/2/3, TinyLlama, SmolLM, Mistral-style models (llama.cpp
    /// `src/models/llama.cpp`, `LLM_ARCH_LLAMA`).
    static let llama = Architecture(name: "llama", readConfig: { try LlamaHyperparameters.read($0) })
}

/// Reading and checking llama hyperparameters.
enum LlamaHyperparameters {
    static func read(_ file: GGUFFile) throws -> ModelConfig {
        let meta = file.metadata, arch = "llama"
        let headCount = try meta.int(ModelKey.headCount(arch))
        let embeddingDim = try meta.int(ModelKey.embeddingLength(arch))
        guard headCount > 0 else { throw bad(file, ModelKey.headCount(arch), "must be positive") }
        let headDim = try meta.optionalInt(ModelKey.keyLength(arch)) ?? embeddingDim / headCount
        guard let embedding = file.tensor(named: TensorName.tokenEmbedding) else {
            throw InferenceError.badTensor(file: file.name, tensor: TensorName.tokenEmbedding, problem: "missing")
        }
        let output = file.tensor(named: TensorName.output)
        let vocabulary = (output ?? embedding).dimensions.count == 2 ? (output ?? embedding).dimensions[1] : 0
        let config = ModelConfig(
            architecture: arch,
            name: try meta.optionalString(ModelKey.name),
            layerCount: try meta.int(ModelKey.blockCount(arch)),
            embeddingDim: embeddingDim,
            feedForwardDim: try meta.int(ModelKey.feedForwardLength(arch)),
            headCount: headCount,
            headCountKV: try meta.optionalInt(ModelKey.headCountKV(arch)) ?? headCount,
            headDim: headDim,
            ropeDim: try meta.optionalInt(ModelKey.ropeDimensionCount(arch)) ?? headDim,
            ropeBase: try meta.optionalFloat(ModelKey.ropeFreqBase(arch)) ?? 10_000,
            ropeScale: try ropeScale(file, arch),
            normEpsilon: Float(try meta.float(ModelKey.rmsEpsilon(arch))),
            contextLength: try meta.int(ModelKey.contextLength(arch)),
            vocabularySize: vocabulary,
            tiedEmbeddings: output == nil)
        try check(config, file)
        return config
    }

    /// Linear scaling's factor, 1 without scaling.
    /// - Throws: for a scaling type other than `none` and `linear` (YaRN, ...).
    static func ropeScale(_ file: GGUFFile, _ arch: String) throws -> Double {
        let meta = file.metadata
        let type = try meta.optionalString(ModelKey.ropeScalingType(arch))
        switch type {
        case nil:
            return try meta.optionalFloat(ModelKey.ropeScaleLinear(arch)) ?? 1
        case "none":
            return 1
        case "linear":
            return try meta.optionalFloat(ModelKey.ropeScalingFactor(arch)) ?? 1
        case let other?:
            throw bad(file, ModelKey.ropeScalingType(arch), "RoPE scaling \"\(other)\" is not supported (none, linear)")
        }
    }

    /// The largest size (context length, widths, counts) a file may claim: 2^24.
    static let maximumSize = 1 << 24

    /// The checks the kernels rely on: positive sizes, whole blocks of 32, GQA groups.
    static func check(_ c: ModelConfig, _ file: GGUFFile) throws {
        let arch = c.architecture
        let positive: [(String, Int)] = [
            (ModelKey.blockCount(arch), c.layerCount), (ModelKey.embeddingLength(arch), c.embeddingDim),
            (ModelKey.feedForwardLength(arch), c.feedForwardDim), (ModelKey.headCountKV(arch), c.headCountKV),
            (ModelKey.keyLength(arch), c.headDim), (ModelKey.contextLength(arch), c.contextLength),
        ]
        for (key, value) in positive where value <= 0 { throw bad(file, key, "must be positive, is \(value)") }
        // The kernels take sizes and positions as 32-bit integers; no real model comes near.
        let sizes = positive + [(ModelKey.headCount(arch), c.headCount), ("vocabulary size", c.vocabularySize)]
        for (key, value) in sizes where value > maximumSize {
            throw bad(file, key, "\(value) is more than the \(maximumSize) Octet supports")
        }
        for (key, value) in [(ModelKey.embeddingLength(arch), c.embeddingDim),
                             (ModelKey.feedForwardLength(arch), c.feedForwardDim),
                             (ModelKey.keyLength(arch), c.queryDim)] where value % 32 != 0 {
            throw bad(file, key, "\(value) is not a multiple of 32 (the INT8 block size)")
        }
        if c.headCount % c.headCountKV != 0 {
            throw bad(file, ModelKey.headCountKV(arch), "\(c.headCountKV) does not divide the \(c.headCount) query heads")
        }
        if c.ropeDim <= 0 || c.ropeDim > c.headDim || c.ropeDim % 2 != 0 {
            throw bad(file, ModelKey.ropeDimensionCount(arch), "\(c.ropeDim) must be even and at most the head size \(c.headDim)")
        }
        if c.ropeBase <= 0 || c.ropeScale <= 0 {
            throw bad(file, ModelKey.ropeFreqBase(arch), "RoPE base and scale must be positive")
        }
        if !(c.normEpsilon > 0) { throw bad(file, ModelKey.rmsEpsilon(arch), "must be positive") }
    }

    static func bad(_ file: GGUFFile, _ key: String, _ problem: String) -> InferenceError {
        .badHyperparameter(file: file.name, key: key, problem: problem)
    }
}
