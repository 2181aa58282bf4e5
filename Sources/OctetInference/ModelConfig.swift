#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Hyperparameters

/// The shape of a llama-family transformer, read from GGUF metadata by its `Architecture`.
///
/// ```swift
/// let model = try LanguageModel.load(path: path, threads: nil)
/// print(model.config.layerCount, model.config.headCount, model.config.headCountKV)
/// ```
public struct ModelConfig: Sendable, Equatable {
    /// `general.architecture` (`llama`).
    public var architecture: String
    /// `general.name`, if the file has one.
    public var name: String?
    /// Transformer layers.
    public var layerCount: Int
    /// Width of the residual stream (SmolLM2-135M: 576).
    public var embeddingDim: Int
    /// Hidden width of the SwiGLU block (1536).
    public var feedForwardDim: Int
    /// Query heads (9).
    public var headCount: Int
    /// Key/value heads (3): query head h reads KV head h / (headCount / headCountKV).
    public var headCountKV: Int
    /// Dimensions per head (64).
    public var headDim: Int
    /// Leading dimensions of each head rotated by RoPE (64).
    public var ropeDim: Int
    /// RoPE base: pair i of a head turns by pos * ropeBase^(-2i / ropeDim) (100000).
    public var ropeBase: Double
    /// Linear RoPE scaling: positions are divided by this (1 = none).
    public var ropeScale: Double
    /// RMSNorm epsilon (1e-5).
    public var normEpsilon: Float
    /// The context the model was trained for (8192).
    public var contextLength: Int
    /// Rows of the classifier = logits per position (49152).
    public var vocabularySize: Int
    /// Whether the classifier is the token embedding matrix (no `output.weight`).
    public var tiedEmbeddings: Bool

    /// Width of a token's queries (headCount x headDim).
    public var queryDim: Int { headCount * headDim }
    /// Width of a token's keys or values (headCountKV x headDim).
    public var kvDim: Int { headCountKV * headDim }

    /// Creates a configuration (tests build tiny models with it).
    public init(
        architecture: String = "llama", name: String? = nil, layerCount: Int, embeddingDim: Int,
        feedForwardDim: Int, headCount: Int, headCountKV: Int, headDim: Int, ropeDim: Int,
        ropeBase: Double, ropeScale: Double = 1, normEpsilon: Float, contextLength: Int,
        vocabularySize: Int, tiedEmbeddings: Bool
    ) {
        self.architecture = architecture
        self.name = name
        self.layerCount = layerCount
        self.embeddingDim = embeddingDim
        self.feedForwardDim = feedForwardDim
        self.headCount = headCount
        self.headCountKV = headCountKV
        self.headDim = headDim
        self.ropeDim = ropeDim
        self.ropeBase = ropeBase
        self.ropeScale = ropeScale
        self.normEpsilon = normEpsilon
        self.contextLength = contextLength
        self.vocabularySize = vocabularySize
        self.tiedEmbeddings = tiedEmbeddings
    }

    /// RoPE's angular frequency of each rotated pair: ropeBase^(-2i / ropeDim), i < ropeDim / 2,
    /// divided by the linear scale (computed in double: positions reach thousands).
    public var ropeFrequencies: [Double] {
        (0 ..< ropeDim / 2).map { i in
            pow(ropeBase, -2.0 * Double(i) / Double(ropeDim)) / ropeScale
        }
    }
}
