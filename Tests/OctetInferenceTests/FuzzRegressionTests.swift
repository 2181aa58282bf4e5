import Foundation
import OctetGGUF
import XCTest
@testable import OctetInference

/// Inputs the `gguf-model` fuzz target found (Fuzz/Targets/gguf-model.swift), kept as tests.
/// The files are named `.fuzz`, not `.gguf`: `*.gguf` is ignored by git (models are never committed).
final class FuzzRegressionTests: XCTestCase {
    private func fuzzFile(_ name: String) throws -> GGUFFile {
        let url = try XCTUnwrap(Bundle.module.url(
            forResource: name, withExtension: "fuzz", subdirectory: "Resources/fuzz"))
        return try GGUFFile(bytes: [UInt8](try Data(contentsOf: url)), name: "fuzz-model.gguf")
    }

    /// A 76 KB file whose header claims a model of 10 GB of INT8 weights (under this machine's
    /// memory, so the memory check let it through): it reserved the 10 GB arena before finding
    /// that the tensors are missing. The matrices are now checked first. It claims millions of
    /// layers too: sizing and checking take no time per claimed layer beyond the first missing.
    func testASmallFileClaimingAHugeModelIsRefusedBeforeAllocating() throws {
        let file = try fuzzFile("oom-huge-model")
        let config = try ModelConfig(file: file)
        XCTAssertGreaterThan(config.layerCount, 1_000_000)
        let started = Date()
        XCTAssertGreaterThan(ModelWeights.plannedBytes(config), 1e9, "the header claims gigabytes")
        XCTAssertThrowsError(try WeightLoader.checkMatrices(of: config, in: file)) {
            XCTAssertTrue("\($0)".hasPrefix("fuzz-model.gguf: "), "\($0)")
        }
        XCTAssertThrowsError(try LanguageModel.load(file: file, threads: 1)) {
            XCTAssertTrue("\($0)".hasPrefix("fuzz-model.gguf: "), "\($0)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "\(config.layerCount) layers claimed")
    }
}
