import XCTest
import OctetGGUF
@testable import OctetInference

/// The engine's plumbing on tiny random models: shapes, GQA, RoPE, every weight type's
/// requantization, tied and separate classifiers, KV-cache reuse and truncation, batching.
final class TinyModelTests: XCTestCase {
    /// INT8 weights and activations against float64 on the same weights: the logits rows
    /// correlate above 0.999 and differ by at most 3% of the row's largest magnitude.
    func assertClose(_ got: [Float], _ want: [Float], _ what: String,
                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.count, want.count, what, file: file, line: line)
        let r = got.withUnsafeBufferPointer { correlation($0, want) }
        let scale = want.map { abs($0) }.max()!
        let delta = zip(got, want).map { abs($0 - $1) }.max()!
        XCTAssertGreaterThan(r, 0.999, what, file: file, line: line)
        XCTAssertLessThan(delta, 0.03 * scale, what, file: file, line: line)
    }

    func testLogitsMatchAFloatReferenceAtEveryPositionAndLevel() throws {
        let tiny = TinyModel()
        let (model, weights) = try tiny.load()
        XCTAssertEqual(model.config.headCountKV, 2)
        XCTAssertTrue(model.config.tiedEmbeddings)
        let tokens = [3, 17, 40, 5, 63, 0, 22, 9, 31, 11]
        let want = tiny.referenceLogits(weights, tokens)
        defer { KernelLevel.use(.best) }
        for level in KernelLevel.supported {
            KernelLevel.use(level)
            let decode = try model.makeContext()
            for (i, t) in tokens.enumerated() {
                assertClose(Array(try decode.evaluate([t])), want[i], "\(level) decode position \(i)")
            }
            let prefill = try model.makeContext()
            assertClose(Array(try prefill.evaluate(tokens)), want.last!, "\(level) prefill")
        }
    }

    func testEveryWeightTypeIsRequantized() throws {
        // Block-of-32 types on 64-wide rows, K-quants (blocks of 256) on 256-wide rows.
        let types: [(GGMLType, Int)] = [
            (.f32, 64), (.f16, 64), (.bf16, 64), (.q8_0, 64), (.q4_0, 64), (.q4_1, 64), (.q5_0, 64),
            (.q5_1, 64), (.q4_K, 256), (.q6_K, 256), (.q2_K, 256), (.q3_K, 256), (.q5_K, 256),
        ]
        let tokens = [5, 9, 33]
        for (type, dim) in types {
            let tiny = TinyModel(layers: 1, dim: dim, ff: dim, heads: 4, kvHeads: 1, matrixType: type)
            let (model, weights) = try tiny.load()
            XCTAssertEqual(model.fileTensorTypes[type.description], 8, "\(type)")
            assertClose(try fresh(model, tokens), tiny.referenceLogits(weights, tokens).last!, "\(type)")
        }
    }

    func testQ8_0IsCopiedExactly() throws {
        let tiny = TinyModel(matrixType: .q8_0)
        let (model, weights) = try tiny.load()
        var row = [Float](repeating: 0, count: tiny.dim)
        for r in [0, 17, 63] {
            model.transformer.weights.tokenEmbedding.dequantizeRow(r, into: &row)
            XCTAssertEqual(row, Array(weights[TensorName.tokenEmbedding]![r * tiny.dim ..< (r + 1) * tiny.dim]))
        }
    }

    func testSeparateOutputMatrix() throws {
        let tiny = TinyModel(separateOutput: true)
        let (model, weights) = try tiny.load()
        XCTAssertFalse(model.config.tiedEmbeddings)
        XCTAssertFalse(model.transformer.weights.output === model.transformer.weights.tokenEmbedding)
        let tokens = [7, 8, 9]
        assertClose(try fresh(model, tokens), tiny.referenceLogits(weights, tokens).last!, "untied")
    }

    // MARK: - KV cache

    func testAppendingToTheCacheEqualsOneBatch() throws {
        let (model, _) = try TinyModel().load()
        let split = try model.makeContext()
        _ = try split.evaluate([3, 4, 5])
        let a = Array(try split.evaluate([6]))
        let whole = try model.makeContext()
        let b = Array(try whole.evaluate([3, 4, 5, 6]))
        XCTAssertEqual(split.cachedTokens, [3, 4, 5, 6])
        XCTAssertLessThan(maxDiff(a, b), 0.02 * b.map { abs($0) }.max()!)
        XCTAssertEqual(split.cachedPrefixLength(of: [3, 4, 5, 6, 9]), 4)
    }

    func testTruncateThenReevaluate() throws {
        let (model, _) = try TinyModel().load()
        let context = try model.makeContext()
        _ = try context.evaluate([1, 2, 3, 4, 5])
        context.truncateCache(to: 2)
        XCTAssertEqual(context.cachedTokens, [1, 2])
        let a = Array(try context.evaluate([9, 10]))
        let b = try fresh(model, [1, 2, 9, 10])
        XCTAssertLessThan(maxDiff(a, b), 0.02 * b.map { abs($0) }.max()!)
        // No tokens: the logits after the last cached one, recomputed after a truncation.
        context.truncateCache(to: 3)
        let c = Array(try context.evaluate([]))
        let d = try fresh(model, [1, 2, 9])
        XCTAssertLessThan(maxDiff(c, d), 0.02 * d.map { abs($0) }.max()!)
        XCTAssertEqual(context.cachedTokens, [1, 2, 9])
        XCTAssertEqual(Array(try context.evaluate([])), c, "unchanged cache: the same buffer")
    }

    func testPromptsLongerThanOneBatchRunInChunks() throws {
        let tiny = TinyModel(layers: 1)
        let (model, _) = try tiny.load()
        let tokens = (0 ..< ModelContext.batchCapacity + 37).map { ($0 * 7) % tiny.vocab }
        let chunked = try model.makeContext()
        let got = Array(try chunked.evaluate(tokens))
        XCTAssertEqual(chunked.cachedTokens, tokens)
        // Against the decode path (checked against the float reference above), token by token.
        let decode = try model.makeContext()
        for t in tokens.dropLast() { _ = try decode.evaluate([t]) }
        assertClose(got, Array(try decode.evaluate([tokens.last!])), "chunked prefill")
    }

    func testThreadCountDoesNotChangeTheResult() throws {
        let tokens = [4, 8, 15, 16, 23, 42]
        let one = try TinyModel().load(threads: 1).model, three = try TinyModel().load(threads: 3).model
        XCTAssertEqual(one.threadCount, 1)
        XCTAssertEqual(three.threadCount, 3)
        XCTAssertEqual(try fresh(one, tokens), try fresh(three, tokens))
        let c1 = try one.makeContext(), c3 = try three.makeContext()
        for t in tokens {
            XCTAssertEqual(Array(try c1.evaluate([t])), Array(try c3.evaluate([t])))
        }
    }

    func testContextsOfOneModelAreIndependent() throws {
        let (model, _) = try TinyModel().load()
        let a = try model.makeContext(), b = try model.makeContext(contextLength: 16)
        XCTAssertEqual(a.contextLength, 1024)
        XCTAssertEqual(b.contextLength, 16)
        XCTAssertEqual(try model.makeContext(contextLength: 1_000_000).contextLength, 1024)
        let first = Array(try a.evaluate([1, 2, 3]))
        _ = try b.evaluate([9, 9, 9, 9])
        XCTAssertEqual(Array(try a.evaluate([])), first)
        XCTAssertEqual(b.cachedTokens, [9, 9, 9, 9])
    }

    // MARK: - Errors

    func testEvaluationErrors() throws {
        let (model, _) = try TinyModel().load()
        let context = try model.makeContext(contextLength: 4)
        XCTAssertThrowsError(try context.evaluate([])) { XCTAssertEqual($0 as? InferenceError, .nothingToEvaluate) }
        XCTAssertThrowsError(try context.evaluate([64])) {
            XCTAssertEqual($0 as? InferenceError, .invalidToken(id: 64, vocabularySize: 64))
        }
        XCTAssertThrowsError(try context.evaluate([-1])) {
            XCTAssertEqual($0 as? InferenceError, .invalidToken(id: -1, vocabularySize: 64))
        }
        _ = try context.evaluate([1, 2, 3])
        XCTAssertThrowsError(try context.evaluate([4, 5])) {
            XCTAssertEqual($0 as? InferenceError, .contextOverflow(tokens: 5, contextLength: 4))
        }
        XCTAssertEqual(context.cachedTokens, [1, 2, 3], "a rejected call leaves the cache alone")
        XCTAssertThrowsError(try model.makeContext(contextLength: 0))
    }

    func testLoadErrorsNameTheFileAndTheCulprit() throws {
        func load(_ edit: (inout GGUFWriter) -> Void, tiny: TinyModel = TinyModel()) throws -> LanguageModel {
            var (writer, _) = try tiny.build()
            edit(&writer)
            return try LanguageModel.load(file: try GGUFFile(bytes: writer.bytes(), name: "bad.gguf"))
        }
        XCTAssertThrowsError(try load { $0.set("general.architecture", .string("mamba")) }) {
            XCTAssertEqual($0 as? InferenceError, .unsupportedArchitecture(file: "bad.gguf", architecture: "mamba"))
        }
        XCTAssertThrowsError(try load { $0.set("llama.attention.head_count_kv", .uint32(3)) }) {
            XCTAssertEqual(($0 as? InferenceError)?.description,
                           "bad.gguf: llama.attention.head_count_kv: 3 does not divide the 4 query heads")
        }
        XCTAssertThrowsError(try load { $0.set("llama.embedding_length", .uint32(48)) }) {
            XCTAssertTrue(($0 as? InferenceError)?.description.contains("not a multiple of 32") == true, "\($0)")
        }
        // A tensor in a type without a requantizer, a missing tensor, a wrong shape.
        XCTAssertThrowsError(try load({ _ in }, tiny: TinyModel(matrixType: .i8))) {
            XCTAssertEqual($0 as? InferenceError, .unsupportedTensorType(file: "bad.gguf", tensor: "token_embd.weight", type: "I8"))
        }
        var noDown = try TinyModel().build().writer
        var kept = GGUFWriter()
        for (key, value) in noDown.metadata { kept.add(key, value) }
        for t in noDown.tensors where t.name != "blk.1.ffn_down.weight" {
            kept.addTensor(name: t.name, dimensions: t.dimensions, type: t.type, data: t.data)
        }
        noDown = kept
        XCTAssertThrowsError(try LanguageModel.load(file: try GGUFFile(bytes: noDown.bytes(), name: "bad.gguf"))) {
            XCTAssertEqual($0 as? InferenceError, .badTensor(file: "bad.gguf", tensor: "blk.1.ffn_down.weight", problem: "missing"))
        }
        XCTAssertThrowsError(try load { $0.set("llama.feed_forward_length", .uint32(128)) }) {
            XCTAssertEqual($0 as? InferenceError, .badTensor(
                file: "bad.gguf", tensor: "blk.0.ffn_gate.weight", problem: "shape [64, 96], expected [64, 128]"))
        }
    }

    /// The logits after `tokens` from a new context (copied while the context lives: the
    /// buffer `evaluate` returns belongs to it).
    func fresh(_ model: LanguageModel, _ tokens: [Int]) throws -> [Float] {
        let context = try model.makeContext()
        return Array(try context.evaluate(tokens))
    }

    func maxDiff(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { abs($0 - $1) }.max()! }
}
