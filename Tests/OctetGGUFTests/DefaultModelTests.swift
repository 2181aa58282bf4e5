import XCTest
@testable import OctetGGUF

/// The installed default model (skipped when absent). Expected values: the tensor table as
/// gguf-py 0.19.0 reads it, and weight samples from the reference's debug_trace.json.
final class DefaultModelTests: XCTestCase {
    static var path: String {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? ""
        let data = ProcessInfo.processInfo.environment["XDG_DATA_HOME"] ?? home + "/.local/share"
        return data + "/octet/models/SmolLM2-135M-Instruct.Q4_1.gguf"
    }

    func openModel() throws -> GGUFFile {
        guard FileManager.default.fileExists(atPath: Self.path) else {
            throw XCTSkip("default model not installed at \(Self.path) (run `make model`)")
        }
        return try GGUFFile(path: Self.path)
    }

    func testHeaderMetadataAndTensorTable() throws {
        let file = try openModel()
        XCTAssertEqual(file.version, 3)
        XCTAssertEqual(file.fileSize, 98_362_432)
        XCTAssertEqual(file.metadata.count, 33)
        XCTAssertEqual(try file.metadata.string("general.architecture"), "llama")
        XCTAssertEqual(try file.metadata.int("llama.context_length"), 8192)
        XCTAssertEqual(try file.metadata.int("llama.block_count"), 30)
        XCTAssertEqual(try file.metadata.int("llama.embedding_length"), 576)
        XCTAssertEqual(try file.metadata.float("llama.rope.freq_base"), 100_000)
        XCTAssertEqual(try file.metadata.strings("tokenizer.ggml.tokens").count, 49152)
        XCTAssertEqual(try file.metadata.strings("tokenizer.ggml.merges").count, 48900)
        XCTAssertEqual(try file.metadata.ints("tokenizer.ggml.token_type").count, 49152)
        XCTAssertEqual(try file.metadata.strings("tokenizer.ggml.tokens")[2], "<|im_end|>")
        XCTAssertTrue(try file.metadata.string("tokenizer.chat_template").contains("<|im_start|>"))

        XCTAssertEqual(file.tensors.count, 272)
        let counts = Dictionary(grouping: file.tensors, by: \.type).mapValues(\.count)
        XCTAssertEqual(counts, [.q4_1: 210, .f32: 61, .q8_0: 1])
        let embd = try XCTUnwrap(file.tensor(named: "token_embd.weight"))
        XCTAssertEqual(embd.type, .q8_0)
        XCTAssertEqual(embd.dimensions, [576, 49152])
        XCTAssertEqual(embd.offset, 1_785_664)
        let down = try XCTUnwrap(file.tensor(named: "blk.0.ffn_down.weight"))
        XCTAssertEqual(down.type, .q4_1)
        XCTAssertEqual(down.dimensions, [1536, 576])
        XCTAssertEqual(down.offset, 31_868_992)
        XCTAssertEqual(file.tensors.reduce(0) { $0 + $1.elementCount }, 134_515_008)
    }

    /// Rows of real weights against debug_trace.json's `dequantized_weights`.
    func testWeightSamples() throws {
        let file = try openModel()
        XCTAssertEqual(try row("token_embd.weight", 504, file).prefix(8), [
            0.1096038818359375, 0.017436981201171875, -0.09465789794921875, 0.08220291137695312,
            0.09216690063476562, -0.027400970458984375, 0.05480194091796875, 0.07223892211914062,
        ])
        XCTAssertEqual(try row("blk.0.attn_q.weight", 0, file).prefix(4), [
            -0.0963134765625, 0.1573486328125, -0.0963134765625, -0.73046875,
        ])
        XCTAssertEqual(try row("blk.0.attn_k.weight", 0, file).prefix(8), [
            -0.1552734375, 0.3402099609375, -0.485595703125, -0.3204345703125, 0.0098876953125,
            0.175048828125, 0.175048828125, 0.50537109375,
        ])
        XCTAssertEqual(try row("blk.0.ffn_down.weight", 0, file).prefix(8), [
            -0.330810546875, 0.3460693359375, 0.0753173828125, -0.4661865234375, -0.06005859375,
            -0.330810546875, 0.0753173828125, 0.210693359375,
        ])
        XCTAssertEqual(try row("output_norm.weight", 0, file).prefix(8), [
            1.7578125, 1.8203125, 1.78125, 1.6015625, 1.7421875, 1.71875, 1.828125, 1.75,
        ])
        file.releasePages()
        XCTAssertEqual(try row("output_norm.weight", 0, file).first, 1.7578125)
    }

    /// Dequantizes row `index` of tensor `name`.
    func row(_ name: String, _ index: Int, _ file: GGUFFile) throws -> [Float] {
        let tensor = try XCTUnwrap(file.tensor(named: name))
        let data = file.data(for: tensor)
        var out = [Float](repeating: 0, count: tensor.rowLength)
        try out.withUnsafeMutableBufferPointer {
            try Dequantize.toFloat(
                tensor.type, from: data.baseAddress! + index * tensor.rowByteCount,
                count: tensor.rowLength, into: $0.baseAddress!)
        }
        return out
    }
}
