import XCTest
@testable import OctetInference

/// A model whose INT8 weights cannot fit in memory is refused before anything is allocated
/// (issue 8: a header with lying sizes over a huge sparse file would otherwise end in an
/// allocation crash or the OOM killer, after a long time).
final class WeightMemoryTests: XCTestCase {
    /// SmolLM2-135M's shape.
    static let small = ModelConfig(
        layerCount: 30, embeddingDim: 576, feedForwardDim: 1536, headCount: 9, headCountKV: 3,
        headDim: 64, ropeDim: 64, ropeBase: 100_000, normEpsilon: 1e-5, contextLength: 8192,
        vocabularySize: 49152, tiedEmbeddings: true)

    func testThePlannedBytesAreThoseOfTheMatrices() {
        // 134,479,872 weights (tied embeddings) at 34 bytes per block of 32 (an f16 scale).
        let bytes = ModelWeights.plannedBytes(Self.small)
        XCTAssertEqual(bytes, 134_479_872 * 34 / 32)
    }

    func testAModelLargerThanMemoryIsRefused() throws {
        var huge = Self.small
        huge.embeddingDim = 16384
        huge.feedForwardDim = 524_288
        huge.headCount = 128
        huge.headCountKV = 128
        huge.headDim = 128
        XCTAssertNoThrow(try ModelWeights.checkMemory(for: Self.small, fileName: "s.gguf", physicalMemory: 1 << 30))
        XCTAssertThrowsError(try ModelWeights.checkMemory(for: huge, fileName: "h.gguf", physicalMemory: 16 << 30)) {
            XCTAssertEqual(
                "\($0)",
                "out of memory allocating the weights of h.gguf: 856.5 GB as INT8, more than this machine's 17.2 GB of memory")
        }
    }
}
