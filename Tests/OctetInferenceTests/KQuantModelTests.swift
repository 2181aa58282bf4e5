import XCTest
import Foundation
@testable import OctetInference

/// The default model requantized by llama.cpp to Q4_K_M (Q4_K, Q5_0, Q6_K and Q8_0 tensors):
/// it loads, and its logits stay close to the reference rows (llama.cpp itself gets
/// correlation 0.981 / 0.988 and max |delta| 1.94 / 2.16 there). The file is made once with
/// ../shared/bench/llamacpp.sh when that tool and its llama.cpp build exist, else the test skips.
final class KQuantModelTests: XCTestCase {
    static var cachedPath: String {
        NSTemporaryDirectory() + "octet-tests/SmolLM2-135M-Instruct.Q4_K_M.gguf"
    }

    /// The Q4_K_M file, made if needed (never starts llama.cpp's 13-minute build).
    func q4KMPath() throws -> String {
        let fm = FileManager.default
        if let path = ProcessInfo.processInfo.environment["OCTET_Q4KM_MODEL"], fm.fileExists(atPath: path) { return path }
        if fm.fileExists(atPath: Self.cachedPath) { return Self.cachedPath }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let tool = root.deletingLastPathComponent().appendingPathComponent("shared/bench/llamacpp.sh").path
        let venv = (ProcessInfo.processInfo.environment["HOME"] ?? "") + "/.cache/octet-bench/venv-native/lib"
        let built = (try? fm.contentsOfDirectory(atPath: venv))?.contains { python in
            fm.fileExists(atPath: "\(venv)/\(python)/site-packages/llama_cpp")
        } ?? false
        guard fm.isExecutableFile(atPath: tool), built else {
            throw XCTSkip("no Q4_K_M file: set OCTET_Q4KM_MODEL, or build llama.cpp with ../shared/bench/llamacpp.sh")
        }
        try fm.createDirectory(atPath: NSTemporaryDirectory() + "octet-tests", withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["--quantize-q8", Reference.defaultModelPath, Self.cachedPath + ".part", "--ftype", "Q4_K_M"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw XCTSkip("llamacpp.sh --quantize-q8 failed") }
        try fm.moveItem(atPath: Self.cachedPath + ".part", toPath: Self.cachedPath)
        return Self.cachedPath
    }

    func testQ4KMLoadsAndStaysCloseToTheReference() throws {
        _ = try Reference.defaultModel()  // skips when the default model is absent
        let model = try LanguageModel.load(path: try q4KMPath(), threads: 2)
        for type in ["Q4_K", "Q6_K", "Q5_0", "Q8_0"] {
            XCTAssertNotNil(model.fileTensorTypes[type], "the file holds \(type) tensors")
        }
        for c in Reference.cases {
            guard let file = c.logits_last_file?.file else { continue }
            let expected = try Reference.logitsRow(file)
            let context = try model.makeContext(contextLength: 128)
            let logits = try context.evaluate(c.prompt_ids)
            let r = correlation(logits, expected)
            let delta = c.top10.map { abs(logits[$0.id] - $0.logit) }.max()!
            XCTAssertGreaterThanOrEqual(r, 0.97, c.name)
            XCTAssertLessThanOrEqual(delta, 3.0, c.name)
            print("Q4_K_M \(c.name): correlation \(r), max |delta| top-10 \(delta)")
            // It generates: a few greedy steps give tokens of the vocabulary.
            var next = argmax(logits)
            for _ in 0 ..< 4 { next = argmax(try context.evaluate([next])) }
            XCTAssertTrue((0 ..< model.config.vocabularySize).contains(next))
        }
    }
}
