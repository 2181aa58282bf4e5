import XCTest
@testable import OctetInference

final class InferenceErrorTests: XCTestCase {
    func testMessagesNameTheFileAndTheProblem() {
        XCTAssertEqual(
            InferenceError.unsupportedArchitecture(file: "m.gguf", architecture: "mamba").description,
            "m.gguf: unsupported architecture \"mamba\" (supported: llama)")
        XCTAssertEqual(
            InferenceError.unsupportedTensorType(file: "m.gguf", tensor: "blk.0.attn_q.weight", type: "IQ2_XXS")
                .description,
            "m.gguf: tensor blk.0.attn_q.weight has type IQ2_XXS, which cannot be loaded")
    }
}
